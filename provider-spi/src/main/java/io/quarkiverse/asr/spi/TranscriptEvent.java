package io.quarkiverse.asr.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a live transcription emits. Times are offsets from the start of the stream. Each word in a text is preceded
 * by a space, so the concatenation of all {@link Final} texts, stripped, is the whole transcript.
 */
public sealed interface TranscriptEvent {

    /**
     * The text heard after the last {@link Final} that is not confirmed yet: it replaces the previous {@code Partial}
     * and may still change. Empty when nothing is pending.
     *
     * @param start start of the first word, or the end of the confirmed text when empty
     * @param end end of the last word, or the end of the confirmed text when empty
     * @param text the words, each preceded by a space
     * @param words the words with their times
     */
    record Partial(Duration start, Duration end, String text, List<Word> words) implements TranscriptEvent {
        public Partial {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(text, "text");
            words = List.copyOf(words);
        }
    }

    /**
     * Confirmed text that follows the previous {@code Final}; it is never retracted.
     *
     * @param start start of the first word
     * @param end end of the last word
     * @param text the words, each preceded by a space
     * @param words the words with their times, at least one
     */
    record Final(Duration start, Duration end, String text, List<Word> words) implements TranscriptEvent {
        public Final {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(text, "text");
            words = List.copyOf(words);
        }
    }

    /**
     * The last event of a stream that ended normally: all its audio has been transcribed and confirmed.
     *
     * @param duration the length of the audio received
     */
    record End(Duration duration) implements TranscriptEvent {
        public End {
            Objects.requireNonNull(duration, "duration");
        }
    }
}
