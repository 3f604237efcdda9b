package io.quarkiverse.asr.remote.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkiverse.asr.spi.Languages;
import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Transcript;
import io.quarkiverse.asr.spi.Word;

/**
 * The {@code verbose_json} answer of OpenAI's transcription and translation endpoints and of whisper-server's
 * {@code /inference}: times in seconds, the language as a whisper name ({@code "english"}). OpenAI gives the words,
 * when asked for, in one list beside the segments; whisper-server gives them in each segment, with their probability,
 * and adds its language detection ({@code detected_language}, {@code language_probabilities} by ISO code). Public only
 * for the generated REST clients; not an API.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VerboseTranscription(String language, Double duration, String text, List<VerboseSegment> segments,
        List<VerboseWord> words, @JsonProperty("detected_language") String detectedLanguage,
        @JsonProperty("language_probabilities") Map<String, Float> languageProbabilities) {

    /** @param words whisper-server's words of this segment; {@code null} from OpenAI */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VerboseSegment(double start, double end, String text, List<VerboseWord> words) {
    }

    /** @param probability whisper-server's word probability; {@code null} from OpenAI */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VerboseWord(String word, double start, double end, Float probability) {
    }

    /** @param withWords whether words were asked for: whisper-server sends them unasked */
    Transcript toTranscript(boolean withWords) {
        List<VerboseSegment> segments = this.segments == null ? List.of() : this.segments;
        List<List<Word>> words = segments.stream().anyMatch(s -> s.words() != null)
                ? segments.stream().map(VerboseTranscription::segmentWords).toList()
                : assignWords(segments, this.words == null ? List.of() : this.words);
        List<Segment> result = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            VerboseSegment segment = segments.get(i);
            result.add(new Segment(time(segment.start()), time(segment.end()),
                    segment.text() == null ? "" : segment.text(), List.of(), withWords ? words.get(i) : List.of()));
        }
        // a language the table does not know stays unknown rather than passing a name off as a code
        String code = language == null ? null : Languages.code(language).orElse(null);
        // whisper-server ends each segment's text with a line break; the segments' texts carry their leading space
        return new Transcript(text == null ? "" : text.replace("\n", "").strip(), code, duration == null ? Duration.ZERO : time(duration),
                result, languageProbabilities == null ? Map.of() : languageProbabilities);
    }

    /**
     * whisper-server's words of one segment. It splits punctuation into words of its own ({@code "bank"},
     * {@code "."}); they are joined to the word before, as the segment's text has them.
     */
    private static List<Word> segmentWords(VerboseSegment segment) {
        List<Word> words = new ArrayList<>();
        for (VerboseWord verbose : segment.words() == null ? List.<VerboseWord> of() : segment.words()) {
            String text = verbose.word() == null ? "" : verbose.word().strip();
            if (text.isEmpty()) {
                continue;
            }
            float probability = verbose.probability() == null ? Float.NaN : verbose.probability();
            Word word = new Word(time(verbose.start()), time(verbose.end()), text, probability);
            if (letters(text).isEmpty() && !words.isEmpty()) {
                Word previous = words.removeLast();
                word = new Word(previous.start(), word.end().compareTo(previous.end()) > 0 ? word.end() : previous.end(),
                        previous.text() + text, (previous.probability() + probability) / 2);
            }
            words.add(word);
        }
        return words;
    }

    /**
     * Spreads the flat word list over the segments, in order: a word goes to the segment it lies in. At a boundary,
     * where a word touches the end of one segment and the start of the next, the text decides: the word stays in the
     * earlier segment only while that segment's text still holds it.
     */
    private static List<List<Word>> assignWords(List<VerboseSegment> segments, List<VerboseWord> words) {
        List<List<Word>> assigned = new ArrayList<>(segments.size());
        segments.forEach(s -> assigned.add(new ArrayList<>()));
        if (segments.isEmpty()) {
            return assigned;
        }
        int current = 0;
        int cursor = 0;
        for (VerboseWord verbose : words) {
            Word word = new Word(time(verbose.start()), time(verbose.end()),
                    verbose.word() == null ? "" : verbose.word().strip(), Float.NaN);
            if (word.text().isEmpty()) {
                continue;
            }
            while (current + 1 < segments.size()
                    && word.start().compareTo(time(segments.get(current + 1).start())) >= 0
                    && !(fits(word, segments.get(current)) && find(segments.get(current), cursor, word) >= 0)) {
                current++;
                cursor = 0;
            }
            int found = find(segments.get(current), cursor, word);
            if (found >= 0) {
                cursor = found + letters(word.text()).length();
            }
            assigned.get(current).add(word);
        }
        return assigned;
    }

    private static boolean fits(Word word, VerboseSegment segment) {
        return word.start().compareTo(time(segment.start())) >= 0 && word.end().compareTo(time(segment.end())) <= 0;
    }

    /** Where the word's letters are in the segment's letters from {@code from}, or -1. */
    private static int find(VerboseSegment segment, int from, Word word) {
        return letters(segment.text() == null ? "" : segment.text()).indexOf(letters(word.text()), from);
    }

    /** Letters and digits only, lower case: services differ in the punctuation they leave on words. */
    private static String letters(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static Duration time(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
