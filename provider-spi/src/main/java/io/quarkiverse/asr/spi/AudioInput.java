package io.quarkiverse.asr.spi;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import io.quarkiverse.asr.spi.audio.AudioDecoding;
import io.quarkiverse.asr.spi.audio.PcmAudio;

/**
 * Audio to transcribe: an encoded file or buffer (WAV, and whatever other {@link io.quarkiverse.asr.spi.audio.AudioDecoder}s
 * are on the class path), or samples already decoded.
 */
public sealed interface AudioInput {

    /** A short description for messages and logs (a file name, never the data). */
    String name();

    /** Decodes to mono samples at {@code sampleRate}, resampling as needed. */
    default PcmAudio decode(int sampleRate) {
        return AudioDecoding.decode(this, sampleRate);
    }

    /**
     * Decodes to mono samples at {@code sampleRate}, resampling as needed, and stops with
     * {@link CancelledException} soon after {@code cancelled} turns true (the caller went away).
     */
    default PcmAudio decode(int sampleRate, BooleanSupplier cancelled) {
        return AudioDecoding.decode(this, sampleRate, cancelled);
    }

    static AudioInput of(Path file) {
        return new File(file);
    }

    static AudioInput of(byte[] encoded, String name) {
        return new Encoded(encoded, name);
    }

    static AudioInput ofSamples(float[] mono, int sampleRate) {
        return new Samples(mono, sampleRate);
    }

    /** An encoded audio file. */
    record File(Path path) implements AudioInput {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String name() {
            return String.valueOf(path.getFileName());
        }
    }

    /** Encoded audio in memory, such as an upload. */
    record Encoded(byte[] bytes, String name) implements AudioInput {
        public Encoded {
            Objects.requireNonNull(bytes, "bytes");
            name = name == null || name.isBlank() ? "audio" : name;
        }
    }

    /** Mono PCM samples in -1..1. */
    record Samples(float[] samples, int sampleRate) implements AudioInput {
        public Samples {
            Objects.requireNonNull(samples, "samples");
            if (sampleRate <= 0) {
                throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
            }
        }

        @Override
        public String name() {
            return "samples@" + sampleRate + "Hz";
        }
    }
}
