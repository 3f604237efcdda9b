package io.quarkiverse.asr.spi.audio;

import java.time.Duration;
import java.util.Objects;

/**
 * Decoded mono audio.
 *
 * @param samples PCM samples, nominally in -1..1
 * @param sampleRate samples per second
 */
public record PcmAudio(float[] samples, int sampleRate) {

    public PcmAudio {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
    }

    public Duration duration() {
        return Duration.ofNanos(Math.round(samples.length * 1e9 / sampleRate));
    }
}
