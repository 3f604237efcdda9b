package io.quarkiverse.asr.whisper.deployment;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.asr.spi.AsrProvider;
import io.quarkiverse.asr.spi.AudioInput;
import io.quarkiverse.asr.whisper.natives.WhisperContext;
import io.quarkiverse.asr.whisper.natives.WhisperLibrary;
import io.quarkiverse.asr.whisper.natives.WhisperState;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /reload-probe} of {@link DevModeReloadTest}'s application: transcribes the WAV body with the default
 * provider and answers with the transcript, the provider's model, and what this JVM holds of whisper.cpp once the
 * transcription is over: the library object and the live contexts and states.
 */
@Singleton
public class ReloadProbe {

    @Inject
    AsrProvider asr;

    void routes(@Observes Router router) {
        router.post("/reload-probe").handler(BodyHandler.create(false)).handler(ctx -> asr
                .transcribe(AudioInput.of(ctx.body().buffer().getBytes(), "request body"))
                .subscribe().with(transcript -> ctx.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject()
                                .put("model", asr.info().model())
                                .put("text", transcript.text())
                                .put("words", transcript.segments().stream().mapToInt(s -> s.words().size()).sum())
                                .put("library", System.identityHashCode(WhisperLibrary.bundled()))
                                .put("contexts", WhisperContext.liveCount())
                                .put("states", WhisperState.liveCount())
                                .encode()),
                        ctx::fail));
    }
}
