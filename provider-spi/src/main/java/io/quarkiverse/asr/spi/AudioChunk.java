package io.quarkiverse.asr.spi;

import java.util.Objects;

/**
 * A piece of a live mono audio stream.
 *
 * @param samples PCM samples in -1..1
 * @param sampleRate samples per second
 */
public record AudioChunk(float[] samples, int sampleRate) {

    public AudioChunk {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
    }
}
