package io.quarkiverse.asr.spi.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.TranscriptEvent;
import io.quarkiverse.asr.spi.Word;

/** Building and reading words and events in tests. */
final class Words {

    private Words() {
    }

    static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    static Word w(String text, double start, double end) {
        return w(text, start, end, Float.NaN);
    }

    static Word w(String text, double start, double end, float probability) {
        return new Word(seconds(start), seconds(end), text, probability);
    }

    /** A segment spanning its words. */
    static Segment segment(List<Word> words) {
        return new Segment(words.getFirst().start(), words.getLast().end(),
                String.join("", words.stream().map(w -> " " + w.text()).toList()), List.of(), words);
    }

    static List<String> texts(List<Word> words) {
        return words.stream().map(Word::text).toList();
    }

    /** The words of every {@link TranscriptEvent.Final}, in order. */
    static List<Word> finalWords(List<TranscriptEvent> events) {
        List<Word> words = new ArrayList<>();
        for (TranscriptEvent e : events) {
            if (e instanceof TranscriptEvent.Final f) {
                words.addAll(f.words());
            }
        }
        return words;
    }

    /** The concatenated texts of every {@link TranscriptEvent.Final}. */
    static String finalText(List<TranscriptEvent> events) {
        StringBuilder text = new StringBuilder();
        for (TranscriptEvent e : events) {
            if (e instanceof TranscriptEvent.Final f) {
                text.append(f.text());
            }
        }
        return text.toString();
    }
}
