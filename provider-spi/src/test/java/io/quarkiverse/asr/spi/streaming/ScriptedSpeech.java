package io.quarkiverse.asr.spi.streaming;

import static io.quarkiverse.asr.spi.streaming.Words.w;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Word;

/**
 * A random spoken script (unique words "w0", "w1"… in sentences, with pauses and long silences) and an engine that
 * behaves like an imperfect recogniser of it: it hears the words whose start lies in the window, with times off by up
 * to 30 ms; it garbles the word cut by the end of the window and, now and then, the last word before it (a revision
 * that the next, longer window corrects). Garbled words are unique, so two hypotheses never agree on one.
 */
final class ScriptedSpeech {

    private static final double JITTER = 0.03;

    final List<List<Word>> sentences = new ArrayList<>();
    final double duration;
    private final Random random;
    private int calls;

    ScriptedSpeech(long seed, boolean periods) {
        random = new Random(seed);
        double t = random.nextDouble() * 2;
        int index = 0;
        int count = 2 + random.nextInt(15);
        for (int s = 0; s < count; s++) {
            List<Word> sentence = new ArrayList<>();
            int words = 1 + random.nextInt(12);
            for (int i = 0; i < words; i++) {
                double length = 0.15 + random.nextDouble() * 0.45;
                String text = "w" + index++ + (periods && i == words - 1 ? "." : "");
                sentence.add(w(text, t, t + length));
                t += length + 0.05 + random.nextDouble() * 0.25;
            }
            sentences.add(sentence);
            t += 0.3 + (random.nextInt(6) == 0 ? 5 + random.nextDouble() * 20 : random.nextDouble() * 1.2);
        }
        duration = sentences.getLast().getLast().end().toNanos() / 1e9 + random.nextDouble();
    }

    List<Word> words() {
        return sentences.stream().flatMap(List::stream).toList();
    }

    /** What the engine hears in the window that starts at {@code start} and holds {@code samples} samples. */
    List<Segment> hear(Duration start, int samples) {
        calls++;
        double from = start.toNanos() / 1e9;
        double to = from + samples / (double) WindowTranscriber.SAMPLE_RATE;
        List<Segment> segments = new ArrayList<>();
        for (List<Word> sentence : sentences) {
            List<Word> heard = new ArrayList<>();
            for (Word word : sentence) {
                double s = word.start().toNanos() / 1e9;
                double e = word.end().toNanos() / 1e9;
                if (s < from - 0.05 || s >= to) {
                    continue;
                }
                boolean cut = e > to + 0.001;
                boolean revised = to < duration - 0.001 && e > to - 0.5 && random.nextInt(4) == 0;
                String text = cut || revised ? "garbled" + calls + "x" + heard.size()
                        : word.text();
                heard.add(w(text, Math.max(0, s - from + jitter()), Math.min(to, e) - from + jitter()));
            }
            if (!heard.isEmpty()) {
                segments.add(Words.segment(heard));
            }
        }
        return segments;
    }

    private double jitter() {
        return (random.nextDouble() * 2 - 1) * JITTER;
    }
}
