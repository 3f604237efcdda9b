package io.quarkiverse.asr.remote.runtime;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import io.smallrye.mutiny.Uni;

/**
 * whisper.cpp's {@code whisper-server}, relative to the configured base URL: its native {@code /inference} endpoint
 * and its {@code /health}. Public only because the REST client implementation generated for it lives in another
 * class loader; not an API.
 */
public interface WhisperServerApi {

    @POST
    @Path("/inference")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<VerboseTranscription> inference(@HeaderParam("Authorization") String authorization, ClientMultipartForm form);

    /** {@code {"status":"ok"}} once the model is loaded; {@code 503} while it loads. */
    @GET
    @Path("/health")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> health();
}
