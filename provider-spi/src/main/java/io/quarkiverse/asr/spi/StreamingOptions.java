package io.quarkiverse.asr.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for live transcription.
 *
 * @param decoding the decoding options applied to each window of audio
 * @param step how much new audio triggers a new partial result
 * @param window the longest stretch of audio decoded at once
 */
public record StreamingOptions(TranscriptionOptions decoding, Duration step, Duration window) {

    public StreamingOptions {
        Objects.requireNonNull(decoding, "decoding");
        if (step.isNegative() || step.isZero() || window.compareTo(step) < 0) {
            throw new IllegalArgumentException("need 0 < step <= window, got step=" + step + ", window=" + window);
        }
    }

    /** Three-second steps over windows of up to thirty seconds, provider default decoding. */
    public static StreamingOptions defaults() {
        return new StreamingOptions(TranscriptionOptions.defaults(), Duration.ofSeconds(3), Duration.ofSeconds(30));
    }
}
