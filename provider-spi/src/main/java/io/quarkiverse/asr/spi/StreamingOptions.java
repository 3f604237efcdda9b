package io.quarkiverse.asr.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for live transcription (see {@code docs/live-transcription.md}). Instances are immutable; build them with
 * {@link #builder()}.
 * <p>
 * The audio is re-transcribed every {@link #minChunk()} of new audio, over a buffer that starts at the last point
 * where text was confirmed; a word is confirmed when the last {@link #agreement()} transcriptions agree on it. Once
 * the buffer is longer than {@link #bufferTrimming()} it is cut at the end of the last confirmed
 * {@link #trimming() segment or sentence}; it never grows beyond {@link #maxBuffer()}.
 */
public final class StreamingOptions {

    /** Where the audio buffer is cut once it is longer than {@link #bufferTrimming()}. */
    public enum Trimming {
        /** At the end of the engine's last segment that is wholly confirmed. */
        SEGMENT,
        /** At the end of the last confirmed sentence (a word ending in {@code .}, {@code ?} or {@code !}). */
        SENTENCE
    }

    private static final StreamingOptions DEFAULTS = builder().build();

    private final TranscriptionOptions decoding;
    private final Duration minChunk;
    private final int agreement;
    private final float minWordProbability;
    private final Trimming trimming;
    private final Duration bufferTrimming;
    private final Duration maxBuffer;
    private final boolean vad;
    private final Duration vadSilence;
    private final boolean utteranceFinals;

    private StreamingOptions(Builder b) {
        this.decoding = b.decoding;
        this.minChunk = b.minChunk;
        this.agreement = b.agreement;
        this.minWordProbability = b.minWordProbability;
        this.trimming = b.trimming;
        this.bufferTrimming = b.bufferTrimming;
        this.maxBuffer = b.maxBuffer;
        this.vad = b.vad;
        this.vadSilence = b.vadSilence;
        this.utteranceFinals = b.utteranceFinals;
    }

    /**
     * One-second steps, LocalAgreement-2 on words of probability 0.6 or more, segment trimming beyond 15 s, at most
     * 30 s buffered, no VAD.
     */
    public static StreamingOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.decoding = decoding;
        b.minChunk = minChunk;
        b.agreement = agreement;
        b.minWordProbability = minWordProbability;
        b.trimming = trimming;
        b.bufferTrimming = bufferTrimming;
        b.maxBuffer = maxBuffer;
        b.vad = vad;
        b.vadSilence = vadSilence;
        b.utteranceFinals = utteranceFinals;
        return b;
    }

    /** The decoding options applied to each transcription of the buffer (the prompt is managed by the stream). */
    public TranscriptionOptions decoding() {
        return decoding;
    }

    /** How much new audio triggers the next transcription of the buffer; default 1 s. */
    public Duration minChunk() {
        return minChunk;
    }

    /** How many consecutive transcriptions must agree on a word to confirm it; default 2 (LocalAgreement-2). */
    public int agreement() {
        return agreement;
    }

    /**
     * The least probability ({@link Word#probability()}) a word needs in the latest transcription to be confirmed by
     * agreement; default 0.6, 0 turns the check off. A word the engine is unsure of, and every word after it, waits
     * for a transcription that is surer of it, or for the end of its utterance, the buffer's bound or the end of the
     * stream, which confirm words as they stand. Engines mishear the first second or two of a sentence the same way
     * in consecutive windows (so that those agree on wrong words), but rarely with confidence. Words without a
     * probability ({@code NaN}) are not held back.
     */
    public float minWordProbability() {
        return minWordProbability;
    }

    /** Where the buffer is cut; default {@link Trimming#SEGMENT}. */
    public Trimming trimming() {
        return trimming;
    }

    /** The buffer length beyond which confirmed audio is cut away; default 15 s. */
    public Duration bufferTrimming() {
        return bufferTrimming;
    }

    /**
     * The most audio held and transcribed at once; default 30 s (whisper's window). When no confirmed point lets the
     * buffer shrink in time, the oldest unconfirmed words are confirmed as they stand; when the engine falls this far
     * behind, no more audio is requested from the source until it catches up.
     */
    public Duration maxBuffer() {
        return maxBuffer;
    }

    /**
     * Whether a voice activity detector gates the audio (whisper_streaming's VAC mode): silence is not transcribed,
     * and {@link #vadSilence()} of silence ends an utterance, which confirms its text and starts the next one afresh;
     * default off. A provider without a VAD model fails the stream with {@link UnsupportedFeatureException}.
     */
    public boolean vad() {
        return vad;
    }

    /** With {@link #vad()}, the silence that ends an utterance and confirms its text; default 500 ms. */
    public Duration vadSilence() {
        return vadSilence;
    }

    /**
     * With {@link #vad()}, whether words are confirmed only when their utterance ends, from a transcription of the
     * whole utterance, rather than by agreement as it arrives (while {@link #maxBuffer()} bounds the utterance);
     * {@code Partial}s still follow the speech. For an engine that mishears the first seconds of a sentence
     * consistently, such as a model trained on whole sentences: its text is then as good live as from the file, and
     * final one utterance later. Default off.
     */
    public boolean utteranceFinals() {
        return utteranceFinals;
    }

    @Override
    public String toString() {
        return "StreamingOptions[decoding=" + decoding + ", minChunk=" + minChunk + ", agreement=" + agreement
                + ", minWordProbability=" + minWordProbability + ", trimming=" + trimming + ", bufferTrimming=" + bufferTrimming + ", maxBuffer=" + maxBuffer
                + ", vad=" + vad + ", vadSilence=" + vadSilence + ", utteranceFinals=" + utteranceFinals + "]";
    }

    /** Builds {@link StreamingOptions}; each setter validates its argument, {@link #build()} their combination. */
    public static final class Builder {
        private TranscriptionOptions decoding = TranscriptionOptions.defaults();
        private Duration minChunk = Duration.ofSeconds(1);
        private int agreement = 2;
        private float minWordProbability = 0.6f;
        private Trimming trimming = Trimming.SEGMENT;
        private Duration bufferTrimming = Duration.ofSeconds(15);
        private Duration maxBuffer = Duration.ofSeconds(30);
        private boolean vad;
        private Duration vadSilence = Duration.ofMillis(500);
        private boolean utteranceFinals;

        private Builder() {
        }

        public Builder decoding(TranscriptionOptions decoding) {
            this.decoding = Objects.requireNonNull(decoding, "decoding");
            return this;
        }

        /** @throws IllegalArgumentException unless between 10 ms and 60 s */
        public Builder minChunk(Duration minChunk) {
            this.minChunk = checkRange("minChunk", minChunk, Duration.ofMillis(10), Duration.ofSeconds(60));
            return this;
        }

        /** @throws IllegalArgumentException outside 1..10 */
        public Builder agreement(int agreement) {
            if (agreement < 1 || agreement > 10) {
                throw new IllegalArgumentException("agreement must be between 1 and 10, got " + agreement);
            }
            this.agreement = agreement;
            return this;
        }

        /** @throws IllegalArgumentException outside 0..1 */
        public Builder minWordProbability(float minWordProbability) {
            if (!(minWordProbability >= 0 && minWordProbability <= 1)) {
                throw new IllegalArgumentException("minWordProbability must be between 0 and 1, got "
                        + minWordProbability);
            }
            this.minWordProbability = minWordProbability;
            return this;
        }

        public Builder trimming(Trimming trimming) {
            this.trimming = Objects.requireNonNull(trimming, "trimming");
            return this;
        }

        /** @throws IllegalArgumentException unless between 1 s and 10 min */
        public Builder bufferTrimming(Duration bufferTrimming) {
            this.bufferTrimming = checkRange("bufferTrimming", bufferTrimming, Duration.ofSeconds(1),
                    Duration.ofMinutes(10));
            return this;
        }

        /** @throws IllegalArgumentException unless between 1 s and 10 min */
        public Builder maxBuffer(Duration maxBuffer) {
            this.maxBuffer = checkRange("maxBuffer", maxBuffer, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        public Builder vad(boolean vad) {
            this.vad = vad;
            return this;
        }

        /** @throws IllegalArgumentException unless between 10 ms and 10 s */
        public Builder vadSilence(Duration vadSilence) {
            this.vadSilence = checkRange("vadSilence", vadSilence, Duration.ofMillis(10), Duration.ofSeconds(10));
            return this;
        }

        public Builder utteranceFinals(boolean utteranceFinals) {
            this.utteranceFinals = utteranceFinals;
            return this;
        }

        /** @throws IllegalArgumentException unless {@code bufferTrimming + minChunk < maxBuffer} */
        public StreamingOptions build() {
            if (bufferTrimming.plus(minChunk).compareTo(maxBuffer) >= 0) {
                throw new IllegalArgumentException("need bufferTrimming + minChunk < maxBuffer, got bufferTrimming="
                        + bufferTrimming + ", minChunk=" + minChunk + ", maxBuffer=" + maxBuffer);
            }
            return new StreamingOptions(this);
        }

        private static Duration checkRange(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        }
    }
}
