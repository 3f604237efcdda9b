package io.quarkiverse.asr.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of transcribing one recording.
 *
 * @param text the whole text, segments joined and trimmed
 * @param language the spoken (or requested) language as an ISO 639-1 code, {@code null} when unknown
 * @param duration the length of the audio that was transcribed
 * @param segments the text split in time-stamped segments, in order
 */
public record Transcript(String text, String language, Duration duration, List<Segment> segments) {

    public Transcript {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(duration, "duration");
        segments = List.copyOf(segments);
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
