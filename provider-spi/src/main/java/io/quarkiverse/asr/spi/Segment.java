package io.quarkiverse.asr.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A stretch of speech with its text.
 *
 * @param start offset of the segment from the start of the audio
 * @param end offset of the end of the segment
 * @param text the segment text as the engine produced it (may start with a space)
 * @param tokens the engine's tokens with probabilities, empty when the provider does not expose them
 * @param words the words with times and probabilities, empty when the provider does not expose them
 */
public record Segment(Duration start, Duration end, String text, List<Token> tokens, List<Word> words) {

    public Segment {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(text, "text");
        tokens = List.copyOf(tokens);
        words = List.copyOf(words);
    }
}
