package io.quarkiverse.asr.runtime;

import java.time.Duration;
import java.util.OptionalLong;

import io.quarkiverse.asr.spi.AsrException;
import io.quarkiverse.asr.spi.AudioTooLargeException;
import io.quarkiverse.asr.spi.CancelledException;
import io.quarkiverse.asr.spi.ModelException;
import io.quarkiverse.asr.spi.OverloadedException;
import io.quarkiverse.asr.spi.ProviderUnavailableException;
import io.quarkiverse.asr.spi.TranscriptionTimeoutException;
import io.quarkiverse.asr.spi.UnsupportedAudioException;
import io.quarkiverse.asr.spi.UnsupportedFeatureException;

/**
 * The HTTP answer to a failure of a provider, or of a request: the one table every HTTP edge uses (the
 * OpenAI-compatible server, the exception mapper registered with Quarkus REST, and applications' own endpoints),
 * documented in {@code docs/errors.md}.
 *
 * @param status the HTTP status
 * @param code what went wrong, in a word for clients ({@code unsupported_audio}, {@code overloaded}...)
 * @param retryAfterSeconds the {@code Retry-After} header, for failures a later retry can overcome
 */
public record AsrHttpStatus(int status, String code, OptionalLong retryAfterSeconds) {

    /** Seconds a client should wait before retrying when the provider cannot serve requests at all. */
    public static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 10;

    /** The answer to a failure of {@code TranscriptionOptions.Builder}: an option out of range, an unknown language. */
    public static final AsrHttpStatus INVALID_REQUEST = new AsrHttpStatus(400, "invalid_request", OptionalLong.empty());

    /** A request body that did not arrive in time ({@link io.quarkiverse.asr.runtime.http.UploadWatch}). */
    public static final AsrHttpStatus UPLOAD_TIMEOUT = new AsrHttpStatus(408, "upload_timeout", OptionalLong.empty());

    /** The answer to a provider's failure. */
    public static AsrHttpStatus of(AsrException failure) {
        return switch (failure) {
            case AudioTooLargeException e -> answer(413, "audio_too_large");
            case UnsupportedAudioException e -> answer(400, "unsupported_audio");
            case UnsupportedFeatureException e -> answer(400, "unsupported_feature");
            case OverloadedException e -> new AsrHttpStatus(503, "overloaded",
                    OptionalLong.of(e.retryAfter().map(AsrHttpStatus::ceilSeconds).orElse(1L)));
            case ProviderUnavailableException e -> new AsrHttpStatus(503, "unavailable",
                    OptionalLong.of(UNAVAILABLE_RETRY_AFTER_SECONDS));
            case TranscriptionTimeoutException e -> answer(504, "timeout");
            // a client that cancels gets no answer at all: what reaches an edge is an interruption or a shutdown
            case CancelledException e -> answer(503, "cancelled");
            case ModelException e -> answer(500, "model_error");
            default -> answer(500, "asr_error");
        };
    }

    private static AsrHttpStatus answer(int status, String code) {
        return new AsrHttpStatus(status, code, OptionalLong.empty());
    }

    /** Whole seconds, rounded up, at least 1: {@code Retry-After} has no fractions and 0 would invite a busy loop. */
    private static long ceilSeconds(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }
}
