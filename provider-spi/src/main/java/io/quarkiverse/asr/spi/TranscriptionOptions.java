package io.quarkiverse.asr.spi;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Per-request decoding options. Every option is optional: an unset option keeps the provider's configured default
 * (see {@link #withDefaults}). Instances are immutable; build them with {@link #builder()}.
 * <p>
 * Engine-specific knobs, such as whisper.cpp's CPU threads, are the provider's configuration, not options.
 */
public final class TranscriptionOptions {

    /** The language value that asks the provider to detect the spoken language. */
    public static final String AUTO_LANGUAGE = "auto";

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}|auto");
    private static final TranscriptionOptions DEFAULTS = builder().build();

    /** The values, in a builder that no one else holds: an option is declared once, as a field of {@link Builder}. */
    private final Builder values;

    private TranscriptionOptions(Builder values) {
        this.values = values;
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
        return values.copy();
    }

    /**
     * These options, with each unset one taken from {@code defaults}: how a provider applies its configured defaults
     * to a request.
     */
    public TranscriptionOptions withDefaults(TranscriptionOptions defaults) {
        Builder merged = values.copy();
        Builder d = defaults.values;
        merged.language = or(merged.language, d.language);
        merged.translate = or(merged.translate, d.translate);
        merged.initialPrompt = or(merged.initialPrompt, d.initialPrompt);
        merged.temperature = or(merged.temperature, d.temperature);
        merged.beamSize = or(merged.beamSize, d.beamSize);
        merged.bestOf = or(merged.bestOf, d.bestOf);
        merged.noSpeechThreshold = or(merged.noSpeechThreshold, d.noSpeechThreshold);
        merged.timestamps = or(merged.timestamps, d.timestamps);
        merged.wordTimestamps = or(merged.wordTimestamps, d.wordTimestamps);
        merged.vad = or(merged.vad, d.vad);
        return merged.build();
    }

    /** ISO 639-1 code of the spoken language, or {@value #AUTO_LANGUAGE} to detect it. */
    public Optional<String> language() {
        return Optional.ofNullable(values.language);
    }

    /** Whether to translate the speech into English. */
    public Optional<Boolean> translate() {
        return Optional.ofNullable(values.translate);
    }

    /** Text that conditions the decoder, e.g. spellings of names or the previous sentence. */
    public Optional<String> initialPrompt() {
        return Optional.ofNullable(values.initialPrompt);
    }

    /** Sampling temperature, 0 (greedy, deterministic) to 1. */
    public Optional<Float> temperature() {
        return Optional.ofNullable(values.temperature);
    }

    /** Beam width; more than 1 selects beam search. */
    public OptionalInt beamSize() {
        return optional(values.beamSize);
    }

    /** Number of candidates sampled when the temperature is above 0. */
    public OptionalInt bestOf() {
        return optional(values.bestOf);
    }

    /** No-speech probability, 0 to 1, above which a window that also decodes poorly is taken for silence. */
    public Optional<Float> noSpeechThreshold() {
        return Optional.ofNullable(values.noSpeechThreshold);
    }

    /** Whether segments carry timestamps. */
    public Optional<Boolean> timestamps() {
        return Optional.ofNullable(values.timestamps);
    }

    /** Whether segments carry words with their own timestamps and probabilities. */
    public Optional<Boolean> wordTimestamps() {
        return Optional.ofNullable(values.wordTimestamps);
    }

    /**
     * Whether only the speech that voice activity detection finds is transcribed; times stay on the original
     * audio's timeline. A provider without a detector refuses it with {@link UnsupportedFeatureException}.
     */
    public Optional<Boolean> vad() {
        return Optional.ofNullable(values.vad);
    }

    @Override
    public String toString() {
        return "TranscriptionOptions[language=" + values.language + ", translate=" + values.translate
                + ", initialPrompt=" + (values.initialPrompt == null ? null : '"' + values.initialPrompt + '"')
                + ", temperature=" + values.temperature + ", beamSize=" + values.beamSize + ", bestOf="
                + values.bestOf + ", noSpeechThreshold=" + values.noSpeechThreshold + ", timestamps=" + values.timestamps + ", wordTimestamps=" + values.wordTimestamps
                + ", vad=" + values.vad + "]";
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    /** Builds {@link TranscriptionOptions}; each setter validates its argument, {@code null} unsets the option. */
    public static final class Builder implements Cloneable {
        private String language;
        private Boolean translate;
        private String initialPrompt;
        private Float temperature;
        private Integer beamSize;
        private Integer bestOf;
        private Float noSpeechThreshold;
        private Boolean timestamps;
        private Boolean wordTimestamps;
        private Boolean vad;

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
            this.temperature = checkRange("temperature", temperature, 0f, 1f);
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

        /** @throws IllegalArgumentException outside 0..1 */
        public Builder noSpeechThreshold(Float noSpeechThreshold) {
            this.noSpeechThreshold = checkRange("noSpeechThreshold", noSpeechThreshold, 0f, 1f);
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

        public Builder vad(Boolean vad) {
            this.vad = vad;
            return this;
        }

        /** Options with the values set so far; the builder can go on being used. */
        public TranscriptionOptions build() {
            return new TranscriptionOptions(copy());
        }

        /** A field-by-field copy: the fields are immutable values, so a shallow copy is a full one. */
        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        private static Integer checkRange(String name, Integer value, int min, int max) {
            if (value != null && (value < min || value > max)) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        }

        private static Float checkRange(String name, Float value, float min, float max) {
            if (value != null && !(value >= min && value <= max)) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        }
    }
}
