package io.quarkiverse.asr.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The spoken languages of the OpenAI transcription API and of whisper models, by ISO 639-1 code ({@code "en"}) and by
 * lower-case English name ({@code "english"}), the name OpenAI's {@code verbose_json} reports. Servers and clients of
 * that API, and providers that take either form, share this table.
 */
public final class Languages {

    private static final Map<String, String> NAMES;
    private static final Map<String, String> CODES = new LinkedHashMap<>();

    static {
        String[] table = {
                "en", "english", "zh", "chinese", "de", "german", "es", "spanish", "ru", "russian", "ko", "korean",
                "fr", "french", "ja", "japanese", "pt", "portuguese", "tr", "turkish", "pl", "polish", "ca", "catalan",
                "nl", "dutch", "ar", "arabic", "sv", "swedish", "it", "italian", "id", "indonesian", "hi", "hindi",
                "fi", "finnish", "vi", "vietnamese", "he", "hebrew", "uk", "ukrainian", "el", "greek", "ms", "malay",
                "cs", "czech", "ro", "romanian", "da", "danish", "hu", "hungarian", "ta", "tamil", "no", "norwegian",
                "th", "thai", "ur", "urdu", "hr", "croatian", "bg", "bulgarian", "lt", "lithuanian", "la", "latin",
                "mi", "maori", "ml", "malayalam", "cy", "welsh", "sk", "slovak", "te", "telugu", "fa", "persian",
                "lv", "latvian", "bn", "bengali", "sr", "serbian", "az", "azerbaijani", "sl", "slovenian",
                "kn", "kannada", "et", "estonian", "mk", "macedonian", "br", "breton", "eu", "basque",
                "is", "icelandic", "hy", "armenian", "ne", "nepali", "mn", "mongolian", "bs", "bosnian",
                "kk", "kazakh", "sq", "albanian", "sw", "swahili", "gl", "galician", "mr", "marathi", "pa", "punjabi",
                "si", "sinhala", "km", "khmer", "sn", "shona", "yo", "yoruba", "so", "somali", "af", "afrikaans",
                "oc", "occitan", "ka", "georgian", "be", "belarusian", "tg", "tajik", "sd", "sindhi",
                "gu", "gujarati", "am", "amharic", "yi", "yiddish", "lo", "lao", "uz", "uzbek", "fo", "faroese",
                "ht", "haitian creole", "ps", "pashto", "tk", "turkmen", "nn", "nynorsk", "mt", "maltese",
                "sa", "sanskrit", "lb", "luxembourgish", "my", "myanmar", "bo", "tibetan", "tl", "tagalog",
                "mg", "malagasy", "as", "assamese", "tt", "tatar", "haw", "hawaiian", "ln", "lingala", "ha", "hausa",
                "ba", "bashkir", "jw", "javanese", "su", "sundanese", "yue", "cantonese" };
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < table.length; i += 2) {
            names.put(table[i], table[i + 1]);
            CODES.put(table[i + 1], table[i]);
        }
        NAMES = Collections.unmodifiableMap(names);
    }

    private Languages() {
    }

    /** Code to name, in whisper's language id order. */
    public static Map<String, String> all() {
        return NAMES;
    }

    /** The name of a language code ({@code "en"} gives {@code "english"}); unknown codes come back as is. */
    public static String name(String code) {
        return NAMES.getOrDefault(code, code);
    }

    /**
     * The code of a language given as a code ({@code "en"}, {@code "EN"}) or a name ({@code "english"}), empty
     * when the table does not know it.
     */
    public static Optional<String> code(String language) {
        String key = language.strip().toLowerCase(Locale.ROOT);
        if (NAMES.containsKey(key)) {
            return Optional.of(key);
        }
        return Optional.ofNullable(CODES.get(key));
    }
}
