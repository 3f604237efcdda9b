package io.quarkiverse.asr.it;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.quarkiverse.asr.runtime.InvalidParameterException;
import io.quarkiverse.asr.runtime.RequestIds;
import io.quarkiverse.asr.runtime.RequestParameters;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /transcribe}: the audio as the request body, or as the {@code file} part of a multipart form; decoding
 * options as query parameters (body) or form fields (multipart), read by {@link RequestParameters} as the
 * OpenAI-compatible API reads its own. A client that goes away stops its transcription.
 */
@Path("/transcribe")
@Produces(MediaType.APPLICATION_JSON)
public class TranscriptionResource {

    private static final Logger LOG = Logger.getLogger(TranscriptionResource.class);

    @Inject
    AsrProvider asr;

    @POST
    @Consumes({ "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", MediaType.APPLICATION_OCTET_STREAM })
    public Uni<Transcript> transcribe(byte[] audio, @RestQuery String language, @RestQuery String translate,
            @RestQuery String prompt, @RestQuery String temperature, @RestQuery String beamSize,
            @RestQuery String wordTimestamps, RoutingContext ctx) {
        return cancelledWithClient(ctx, asr.transcribe(AudioInput.of(audio, "request body"),
                options(language, translate, prompt, temperature, beamSize, wordTimestamps)));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Transcript> transcribeForm(@RestForm("file") List<FileUpload> files, @RestForm String language,
            @RestForm String translate, @RestForm String prompt, @RestForm String temperature,
            @RestForm String beamSize, @RestForm String wordTimestamps, RoutingContext ctx) {
        if (files == null || files.isEmpty()) {
            throw new InvalidParameterException("file", "The multipart form has no 'file' part with the audio.");
        }
        if (files.size() > 1) {
            throw new InvalidParameterException("file", "Send one 'file' part per request, got " + files.size() + ".");
        }
        TranscriptionOptions options = options(language, translate, prompt, temperature, beamSize, wordTimestamps);
        // The upload is only referenced here; it is read and decoded on a whisper worker, off the event loop.
        return cancelledWithClient(ctx, asr.transcribe(AudioInput.of(files.get(0).uploadedFile()), options));
    }

    /** The options of a request; a value that is not valid is the client's error, answered with 400. */
    private static TranscriptionOptions options(String language, String translate, String prompt, String temperature,
            String beamSize, String wordTimestamps) {
        TranscriptionOptions.Builder options = TranscriptionOptions.builder().initialPrompt(prompt);
        RequestParameters.language("language", language, options::language);
        RequestParameters.flag("translate", translate, options::translate);
        RequestParameters.number("temperature", temperature, options::temperature);
        RequestParameters.integer("beamSize", beamSize, options::beamSize);
        RequestParameters.flag("wordTimestamps", wordTimestamps, options::wordTimestamps);
        return options.build();
    }

    /**
     * The transcription, cancelled when the client goes away before its answer: Quarkus REST would let it run to
     * the end.
     */
    private static Uni<Transcript> cancelledWithClient(RoutingContext ctx, Uni<Transcript> work) {
        String id = RequestIds.of(ctx.request().getHeader(RequestIds.HEADER));
        ctx.response().putHeader(RequestIds.HEADER, id);
        return Uni.createFrom().emitter(emitter -> {
            Cancellable subscription = work.subscribe().with(emitter::complete, emitter::fail);
            emitter.onTermination(subscription::cancel);
            ctx.addEndHandler(result -> {
                if (result.failed()) {
                    LOG.debugf("%s %s [%s]: the client went away; its transcription is cancelled",
                            ctx.request().method(), ctx.request().path(), id);
                    subscription.cancel();
                }
            });
        });
    }
}
