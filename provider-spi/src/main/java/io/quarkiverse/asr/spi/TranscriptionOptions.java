package io.quarkiverse.asr.spi;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Per-request decoding options. Every option is optional: an unset option keeps the provider's configured default.
 * Instances are immutable; build them with {@link #builder()}.
 */
public final class TranscriptionOptions {

    /** The language value that asks the provider to detect the spoken language. */
    public static final String AUTO_LANGUAGE = "auto";

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}|auto");
    private static final TranscriptionOptions DEFAULTS = builder().build();

    private final String language;
    private final Boolean translate;
    private final String initialPrompt;
    private final Float temperature;
    private final Integer beamSize;
    private final Integer bestOf;
    private final Boolean timestamps;
    private final Boolean wordTimestamps;
    private final Integer threads;

    private TranscriptionOptions(Builder b) {
        this.language = b.language;
        this.translate = b.translate;
        this.initialPrompt = b.initialPrompt;
        this.temperature = b.temperature;
        this.beamSize = b.beamSize;
        this.bestOf = b.bestOf;
        this.timestamps = b.timestamps;
        this.wordTimestamps = b.wordTimestamps;
        this.threads = b.threads;
    }

    /** Options that leave every choice to the provider. */
    public static TranscriptionOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.language = language;
        b.translate = translate;
        b.initialPrompt = initialPrompt;
        b.temperature = temperature;
        b.beamSize = beamSize;
        b.bestOf = bestOf;
        b.timestamps = timestamps;
        b.wordTimestamps = wordTimestamps;
        b.threads = threads;
        return b;
    }

    /** ISO 639-1 code of the spoken language, or {@value #AUTO_LANGUAGE} to detect it. */
    public Optional<String> language() {
        return Optional.ofNullable(language);
    }

    /** Whether to translate the speech into English. */
    public Optional<Boolean> translate() {
        return Optional.ofNullable(translate);
    }

    /** Text that conditions the decoder, e.g. spellings of names or the previous sentence. */
    public Optional<String> initialPrompt() {
        return Optional.ofNullable(initialPrompt);
    }

    /** Sampling temperature, 0 (greedy, deterministic) to 1. */
    public Optional<Float> temperature() {
        return Optional.ofNullable(temperature);
    }

    /** Beam width; more than 1 selects beam search. */
    public OptionalInt beamSize() {
        return beamSize == null ? OptionalInt.empty() : OptionalInt.of(beamSize);
    }

    /** Number of candidates sampled when the temperature is above 0. */
    public OptionalInt bestOf() {
        return bestOf == null ? OptionalInt.empty() : OptionalInt.of(bestOf);
    }

    /** Whether segments carry timestamps. */
    public Optional<Boolean> timestamps() {
        return Optional.ofNullable(timestamps);
    }

    /** Whether segments carry words with their own timestamps and probabilities. */
    public Optional<Boolean> wordTimestamps() {
        return Optional.ofNullable(wordTimestamps);
    }

    /** CPU threads the engine may use for this request. */
    public OptionalInt threads() {
        return threads == null ? OptionalInt.empty() : OptionalInt.of(threads);
    }

    @Override
    public String toString() {
        return "TranscriptionOptions[language=" + language + ", translate=" + translate + ", initialPrompt="
                + (initialPrompt == null ? null : '"' + initialPrompt + '"') + ", temperature=" + temperature
                + ", beamSize=" + beamSize + ", bestOf=" + bestOf + ", timestamps=" + timestamps
                + ", wordTimestamps=" + wordTimestamps + ", threads=" + threads + "]";
    }

    /** Builds {@link TranscriptionOptions}; each setter validates its argument. */
    public static final class Builder {
        private String language;
        private Boolean translate;
        private String initialPrompt;
        private Float temperature;
        private Integer beamSize;
        private Integer bestOf;
        private Boolean timestamps;
        private Boolean wordTimestamps;
        private Integer threads;

        private Builder() {
        }

        /**
         * @param language an ISO 639-1/639-3 code such as {@code en}, or {@code auto}; {@code null} or blank unsets it
         * @throws IllegalArgumentException if the value is not a language code
         */
        public Builder language(String language) {
            if (language == null || language.isBlank()) {
                this.language = null;
                return this;
            }
            String normalized = language.strip().toLowerCase(Locale.ROOT);
            if (!LANGUAGE.matcher(normalized).matches()) {
                throw new IllegalArgumentException("language must be an ISO 639-1 code such as 'en' or 'auto', got '"
                        + language + "'");
            }
            this.language = normalized;
            return this;
        }

        public Builder translate(Boolean translate) {
            this.translate = translate;
            return this;
        }

        public Builder initialPrompt(String initialPrompt) {
            this.initialPrompt = initialPrompt == null || initialPrompt.isEmpty() ? null : initialPrompt;
            return this;
        }

        /** @throws IllegalArgumentException outside 0..1 */
        public Builder temperature(Float temperature) {
            if (temperature != null && !(temperature >= 0f && temperature <= 1f)) {
                throw new IllegalArgumentException("temperature must be between 0 and 1, got " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** @throws IllegalArgumentException outside 1..16 */
        public Builder beamSize(Integer beamSize) {
            this.beamSize = checkRange("beamSize", beamSize, 1, 16);
            return this;
        }

        /** @throws IllegalArgumentException outside 1..16 */
        public Builder bestOf(Integer bestOf) {
            this.bestOf = checkRange("bestOf", bestOf, 1, 16);
            return this;
        }

        public Builder timestamps(Boolean timestamps) {
            this.timestamps = timestamps;
            return this;
        }

        public Builder wordTimestamps(Boolean wordTimestamps) {
            this.wordTimestamps = wordTimestamps;
            return this;
        }

        /** @throws IllegalArgumentException outside 1..256 */
        public Builder threads(Integer threads) {
            this.threads = checkRange("threads", threads, 1, 256);
            return this;
        }

        public TranscriptionOptions build() {
            return new TranscriptionOptions(this);
        }

        private static Integer checkRange(String name, Integer value, int min, int max) {
            if (value != null && (value < min || value > max)) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        }
    }
}
