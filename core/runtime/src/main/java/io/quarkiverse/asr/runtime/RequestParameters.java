package io.quarkiverse.asr.runtime;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import io.quarkiverse.asr.spi.Languages;
import io.quarkiverse.asr.spi.TranscriptionOptions;

/**
 * Reads the transcription parameters of an HTTP request from their text, the same way at every edge (the
 * OpenAI-compatible API, Quarkus REST endpoints), and sets them on {@link TranscriptionOptions.Builder}: absent or
 * blank is unset, anything else must be a valid value, and one that is not fails with
 * {@link InvalidParameterException}, whose message names the parameter and the values it takes. Each edge passes the
 * parameter's name as its clients spell it ({@code no_speech_threshold}, {@code beamSize}).
 */
public final class RequestParameters {

    private RequestParameters() {
    }

    /**
     * A language as an ISO 639-1 code or an English name from {@link Languages} ({@code en}, {@code english}), or
     * {@link TranscriptionOptions#AUTO_LANGUAGE}.
     *
     * @return the code, empty when unset
     */
    public static Optional<String> language(String parameter, String text, Consumer<String> setter) {
        return read(parameter, text, setter, given -> given.equalsIgnoreCase(TranscriptionOptions.AUTO_LANGUAGE)
                ? TranscriptionOptions.AUTO_LANGUAGE
                : Languages.code(given).orElseThrow(() -> new InvalidParameterException(parameter, "'" + text
                        + "' is not a supported " + parameter + ": use 'auto' or an ISO 639-1 code that whisper knows ("
                        + String.join(", ", Languages.all().keySet()) + ").")));
    }

    /** {@code true} or {@code false}, in any case. */
    public static Optional<Boolean> flag(String parameter, String text, Consumer<Boolean> setter) {
        return read(parameter, text, setter, given -> switch (given.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameterException(parameter,
                    "'" + text + "' is not a valid " + parameter + ": use true or false.");
        });
    }

    /** A number such as {@code 0.2}, within the range the options accept. */
    public static Optional<Float> number(String parameter, String text, Consumer<Float> setter) {
        return read(parameter, text, setter, given -> {
            try {
                float number = Float.parseFloat(given);
                if (Float.isFinite(number)) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidParameterException(parameter, "'" + text + "' is not a valid " + parameter
                    + ": use a number.");
        });
    }

    /** A whole number, within the range the options accept. */
    public static Optional<Integer> integer(String parameter, String text, Consumer<Integer> setter) {
        return read(parameter, text, setter, given -> {
            try {
                return Integer.parseInt(given);
            } catch (NumberFormatException e) {
                throw new InvalidParameterException(parameter, "'" + text + "' is not a valid " + parameter
                        + ": use a whole number.");
            }
        });
    }

    /**
     * Parses {@code text} unless it is blank and hands the value to {@code setter}: a value the options refuse (out
     * of range) is reported as {@code parameter}'s, with the range the options give.
     */
    private static <T> Optional<T> read(String parameter, String text, Consumer<T> setter, Function<String, T> parse) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        T value = parse.apply(text.strip());
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            // the options name their fields in Java's spelling: the message names the parameter as the client sent it
            throw new InvalidParameterException(parameter, "'" + text + "' is not a valid " + parameter + ": "
                    + e.getMessage().replaceFirst("^\\w+ must", "it must").replaceFirst(", got .*$", "") + ".");
        }
        return Optional.of(value);
    }
}
