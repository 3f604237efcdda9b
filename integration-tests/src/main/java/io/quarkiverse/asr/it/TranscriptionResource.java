package io.quarkiverse.asr.it;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.quarkiverse.asr.runtime.AsrExceptionMapper;
import io.quarkiverse.asr.runtime.AsrHttpStatus;
import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.TranscriptionOptions;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /transcribe}: the audio as the request body, or as the {@code file} part of a multipart form; decoding
 * options as query parameters (body) or form fields (multipart).
 */
@Path("/transcribe")
@Produces(MediaType.APPLICATION_JSON)
public class TranscriptionResource {

    @Inject
    AsrProvider asr;

    @POST
    @Consumes({ "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", MediaType.APPLICATION_OCTET_STREAM })
    public Uni<Transcript> transcribe(byte[] audio, @RestQuery String language, @RestQuery Boolean translate,
            @RestQuery String prompt, @RestQuery Float temperature, @RestQuery Integer beamSize,
            @RestQuery Boolean wordTimestamps) {
        return asr.transcribe(AudioInput.of(audio, "request body"),
                options(language, translate, prompt, temperature, beamSize, wordTimestamps));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Transcript> transcribeForm(@RestForm("file") FileUpload file, @RestForm String language,
            @RestForm Boolean translate, @RestForm String prompt, @RestForm Float temperature,
            @RestForm Integer beamSize, @RestForm Boolean wordTimestamps) {
        if (file == null) {
            throw new UnsupportedAudioException("The multipart form has no 'file' part with the audio");
        }
        // The upload is only referenced here; it is read and decoded on a whisper worker, off the event loop.
        return asr.transcribe(AudioInput.of(file.uploadedFile()),
                options(language, translate, prompt, temperature, beamSize, wordTimestamps));
    }

    /** The options of a request; an option out of range is the client's error, answered with 400. */
    private static TranscriptionOptions options(String language, Boolean translate, String prompt, Float temperature,
            Integer beamSize, Boolean wordTimestamps) {
        try {
            return TranscriptionOptions.builder()
                    .language(language)
                    .translate(translate)
                    .initialPrompt(prompt)
                    .temperature(temperature)
                    .beamSize(beamSize)
                    .wordTimestamps(wordTimestamps)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new WebApplicationException(
                    AsrExceptionMapper.response(AsrHttpStatus.INVALID_REQUEST, e.getMessage()).toResponse());
        }
    }
}
