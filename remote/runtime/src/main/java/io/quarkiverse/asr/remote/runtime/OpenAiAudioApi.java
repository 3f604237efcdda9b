package io.quarkiverse.asr.remote.runtime;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import io.smallrye.mutiny.Uni;

/**
 * The two speech-to-text endpoints of OpenAI's API, relative to the configured base URL. Public only because the REST
 * client implementation generated for it lives in another class loader; not an API.
 */
@Path("/audio")
public interface OpenAiAudioApi {

    @POST
    @Path("/transcriptions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<VerboseTranscription> transcriptions(@HeaderParam("Authorization") String authorization,
            ClientMultipartForm form);

    @POST
    @Path("/translations")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<VerboseTranscription> translations(@HeaderParam("Authorization") String authorization,
            ClientMultipartForm form);
}
