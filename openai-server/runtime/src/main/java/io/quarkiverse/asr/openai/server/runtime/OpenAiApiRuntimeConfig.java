package io.quarkiverse.asr.openai.server.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The OpenAI-compatible transcription API, settings read when the application starts. They apply only when
 * {@code quarkus.asr.openai-api.enabled} or {@code quarkus.asr.openai-api.live.enabled} is {@code true}.
 */
@ConfigMapping(prefix = "quarkus.asr.openai-api")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface OpenAiApiRuntimeConfig {

    /**
     * The API key clients must send as {@code Authorization: Bearer <key>}. Requests without it, or with another key,
     * are refused with 401 before their upload is read. When unset, the endpoints accept every request (the
     * application's own HTTP security policies still apply).
     */
    Optional<String> apiKey();

    /**
     * The largest request body accepted, the uploaded audio and the form fields together; larger requests are
     * refused with 413. The default is OpenAI's own limit (25 MB). This limit replaces
     * {@code quarkus.http.limits.max-body-size} for these endpoints.
     */
    @WithDefault("25M")
    MemorySize maxUploadSize();

    /**
     * The longest a transcription may take, from the end of the upload to the response. A request that takes longer
     * is answered with 504 and its transcription is cancelled, which stops the provider's work. No limit when unset (the
     * provider's own timeout, such as {@code quarkus.asr.whisper.timeout}, still applies).
     */
    Optional<Duration> requestTimeout();

    /**
     * The longest an upload may go without a byte arriving, from the end of the request's headers to the end of its
     * body. A client that stalls longer is answered with 408 {@code upload_timeout} and its connection is closed, so
     * that half-sent requests do not hold connections and upload files. The headers themselves are bounded by
     * {@code quarkus.http.idle-timeout}. The application's own endpoints have
     * {@code quarkus.asr.http.upload-idle-timeout}.
     */
    @WithDefault("30S")
    Duration uploadIdleTimeout();

    /**
     * The longest a whole upload may take to arrive, however steadily it trickles in. A slower one is answered with
     * 408 {@code upload_timeout} and its connection is closed. The default lets the largest upload arrive at about
     * 350 kbit/s. The application's own endpoints have {@code quarkus.asr.http.upload-timeout}.
     */
    @WithDefault("10M")
    Duration uploadTimeout();

    /**
     * Requests whose declared {@code Content-Length} is at most this size keep their uploaded audio in memory while it
     * is transcribed; larger ones, and those sent without a length (chunked), are written to
     * {@code uploads-directory}. Keeping a short clip in memory spares its round trip through a file, a few
     * milliseconds of the request. Each request in progress holds at most this much; {@code 0} writes every upload to a
     * file.
     */
    @WithDefault("2M")
    MemorySize inMemoryUploadSize();

    /**
     * The folder uploads above {@code in-memory-upload-size} are written to while they are transcribed; each upload is
     * deleted once its response is sent or its client has gone. Defaults to {@code quarkus-asr-uploads} in
     * {@code java.io.tmpdir}.
     */
    Optional<Path> uploadsDirectory();

    /** The live transcription WebSocket. */
    LiveRuntime live();

    /**
     * How the live transcription WebSocket cuts the stream into windows (see {@code docs/live-transcription.md}); it
     * applies when {@code quarkus.asr.openai-api.live.enabled} is {@code true}. {@code buffer-trimming} plus
     * {@code min-chunk} must be less than {@code max-buffer}.
     */
    interface LiveRuntime {

        /** New audio that triggers the next transcription of the window: smaller gives lower latency, more work. */
        @WithDefault("1S")
        Duration minChunk();

        /** The window length beyond which audio whose words are confirmed is cut away. */
        @WithDefault("15S")
        Duration bufferTrimming();

        /**
         * The most audio transcribed at once (whisper's window is 30 s). Models trained on shorter windows need a
         * smaller one.
         */
        @WithDefault("30S")
        Duration maxBuffer();

        /**
         * Whether a voice activity detector gates the audio (whisper_streaming's VAC mode, see
         * {@code docs/live-transcription.md#voice-activity-gating}): silence is not transcribed, and {@code vad-silence}
         * of silence ends an utterance, whose text is then final. It takes a provider with a VAD model (whisper:
         * {@code quarkus.asr.whisper.vad.model-path}); a session on one without is refused with an
         * {@code unsupported_feature} error.
         */
        @WithDefault("false")
        boolean vad();

        /** With {@code vad}, the silence that ends an utterance (10 ms to 10 s). */
        @WithDefault("500MS")
        Duration vadSilence();
    }
}
