package io.quarkiverse.asr.whisper.natives;

import java.util.List;

/**
 * The outcome of {@link WhisperState#detectLanguage}.
 *
 * @param language the most probable language, as whisper.cpp's short code (e.g. "en")
 * @param languageId whisper.cpp's id of {@code language}
 * @param probabilities every language whisper.cpp knows ({@code whisper_lang_max_id() + 1}), most probable
 *        first; the probabilities add up to 1
 */
public record LanguageDetection(String language, int languageId, List<Probability> probabilities) {

    public LanguageDetection {
        probabilities = List.copyOf(probabilities);
    }

    /** The probability of one language. */
    public record Probability(String language, int languageId, float probability) {
    }
}
