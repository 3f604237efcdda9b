package io.quarkiverse.asr.openai.server.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkiverse.asr.runtime.http.UploadTimeouts;
import io.quarkiverse.asr.spi.StreamingOptions;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/** Creates the handlers of the OpenAI-compatible routes from the run-time configuration. */
@Recorder
public class OpenAiApiRecorder {

    private final RuntimeValue<OpenAiApiRuntimeConfig> config;

    public OpenAiApiRecorder(RuntimeValue<OpenAiApiRuntimeConfig> config) {
        this.config = config;
    }

    /**
     * Sets up a route before its request handler: POST only, the {@link RequestGuard} (API key, declared size,
     * content type, room in the providers) before anything is read, then the {@link MultipartBodyHandler} that stores
     * the upload, in memory or in a file, within the size and time limits, and a failure handler that answers in
     * OpenAI's error format.
     */
    public Consumer<Route> routeCustomizer(List<String> served, String defaultName) {
        OpenAiApiRuntimeConfig settings = config.getValue();
        long limit = settings.maxUploadSize().asLongValue();
        Path uploads = settings.uploadsDirectory()
                .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "quarkus-asr-uploads"));
        RequestGuard guard = new RequestGuard(new ApiKey(settings.apiKey()), limit,
                new ProviderResolver(served, defaultName));
        MultipartBodyHandler body = new MultipartBodyHandler(limit, settings.inMemoryUploadSize().asLongValue(),
                uploads.toString(), maxFormFieldSize(),
                new UploadTimeouts(settings.uploadIdleTimeout(), settings.uploadTimeout(), "quarkus.asr.openai-api"));
        FailureHandler failures = new FailureHandler(limit);
        return route -> route.method(HttpMethod.POST).handler(guard).handler(body).failureHandler(failures);
    }

    /** {@code quarkus.http.limits.max-form-attribute-size}, the largest form field other than a file Vert.x accepts. */
    private static OptionalLong maxFormFieldSize() {
        try {
            return ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.http.limits.max-form-attribute-size", MemorySize.class)
                    .map(size -> OptionalLong.of(size.asLongValue())).orElse(OptionalLong.empty());
        } catch (RuntimeException e) {
            // only for a message
            return OptionalLong.empty();
        }
    }

    /**
     * The request handler of {@code audio/transcriptions} ({@code translate} false) or {@code audio/translations}.
     *
     * @param served the {@code @AsrProviderName} values of the provider beans the API serves
     * @param defaultName the one that answers requests whose {@code model} names none of them, {@code null} for none
     */
    public Handler<RoutingContext> handler(boolean translate, List<String> served, String defaultName) {
        return new TranscriptionHandler(translate, new ProviderResolver(served, defaultName),
                config.getValue().requestTimeout());
    }

    /**
     * The handler of the live transcription WebSocket, {@code GET .../audio/live}.
     *
     * @param served the {@code @AsrProviderName} values of the provider beans the API serves
     * @param defaultName the one that answers sessions whose {@code model} names none of them, {@code null} for none
     */
    public Handler<RoutingContext> liveHandler(List<String> served, String defaultName) {
        OpenAiApiRuntimeConfig settings = config.getValue();
        OpenAiApiRuntimeConfig.LiveRuntime live = settings.live();
        StreamingOptions streaming;
        try {
            streaming = StreamingOptions.builder()
                    .minChunk(live.minChunk())
                    .bufferTrimming(live.bufferTrimming())
                    .maxBuffer(live.maxBuffer())
                    .vad(live.vad())
                    .vadSilence(live.vadSilence())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("quarkus.asr.openai-api.live.*: " + e.getMessage(),
                    Set.of("quarkus.asr.openai-api.live.min-chunk", "quarkus.asr.openai-api.live.buffer-trimming",
                            "quarkus.asr.openai-api.live.max-buffer", "quarkus.asr.openai-api.live.vad-silence"));
        }
        return new LiveTranscriptionHandler(new ProviderResolver(served, defaultName), new ApiKey(settings.apiKey()),
                streaming);
    }

    /**
     * The request handler of whisper-server's {@code /inference}: its fields mapped onto the transcription and
     * translation handlers'.
     */
    public Handler<RoutingContext> inferenceHandler(List<String> served, String defaultName) {
        return new InferenceHandler(handler(false, served, defaultName), handler(true, served, defaultName));
    }
}
