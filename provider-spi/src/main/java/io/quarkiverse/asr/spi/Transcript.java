package io.quarkiverse.asr.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of transcribing one recording.
 *
 * @param text the whole text, segments joined and trimmed
 * @param language the spoken (or requested) language as an ISO 639-1 code, {@code null} when unknown
 * @param duration the length of the audio that was transcribed
 * @param segments the text split in time-stamped segments, in order
 * @param languageProbabilities the probability of each language (ISO 639-1 code, 0 to 1) as the engine's language
 *        detection rated the audio, empty when the provider does not report them
 */
public record Transcript(String text, String language, Duration duration, List<Segment> segments,
        Map<String, Float> languageProbabilities) {

    public Transcript {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(duration, "duration");
        segments = List.copyOf(segments);
        languageProbabilities = Map.copyOf(languageProbabilities);
    }

    /** A transcript without language probabilities. */
    public Transcript(String text, String language, Duration duration, List<Segment> segments) {
        this(text, language, duration, segments, Map.of());
    }

    /** Joins segment texts the way whisper-style engines emit them (each segment carries its leading space). */
    public static Transcript of(String language, Duration duration, List<Segment> segments) {
        StringBuilder text = new StringBuilder();
        for (Segment segment : segments) {
            text.append(segment.text());
        }
        return new Transcript(text.toString().strip(), language, duration, segments);
    }
}
