package io.quarkiverse.asr.spi.streaming;

import static io.quarkiverse.asr.spi.streaming.Words.w;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Word;
import io.smallrye.mutiny.Uni;

/**
 * Speech made of tones, and an engine that hears it: each word of a 30-word vocabulary is a tone burst at its own
 * frequency (300 Hz for the first, 100 Hz apart, so all of them pass 8 kHz audio). The engine finds the bursts in the
 * 16 kHz samples it is given (10 ms frames above an energy threshold), names each by its measured frequency, and
 * starts a new segment after 0.5 s of silence. So what it reports depends on the audio actually delivered:
 * resampling, chunking and buffering mistakes change the words or their times. Word boundaries lie 5 ms into a frame,
 * so detected times are the true ones within 5 ms.
 */
final class ToneSpeech {

    static final String[] VOCABULARY = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
            "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra",
            "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "one", "two", "three", "four" };
    private static final int RATE = WindowTranscriber.SAMPLE_RATE;
    private static final int FRAME = RATE / 100;
    private static final double AMPLITUDE = 0.5;

    final List<Word> words = new ArrayList<>();
    final double duration;

    /** A random script of {@code count} words without repeats within five words, ending in {@code tail} of silence. */
    ToneSpeech(long seed, int count, double tail) {
        Random random = new Random(seed);
        double t = 0.305 + random.nextInt(100) / 100.0;
        List<Integer> recent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index;
            do {
                index = random.nextInt(VOCABULARY.length);
            } while (recent.contains(index));
            recent.add(index);
            if (recent.size() > 5) {
                recent.removeFirst();
            }
            double length = (15 + random.nextInt(46)) / 100.0;
            words.add(w(VOCABULARY[index], t, t + length));
            int gap = random.nextInt(8) == 0 ? 50 + random.nextInt(150) : 6 + random.nextInt(25);
            t += length + gap / 100.0;
        }
        duration = words.getLast().end().toNanos() / 1e9 + tail;
    }

    /** The script rendered at {@code rate} Hz. */
    float[] render(int rate) {
        float[] out = new float[(int) Math.round(duration * rate)];
        for (Word word : words) {
            double f = frequency(word.text());
            int from = (int) Math.round(word.start().toNanos() / 1e9 * rate);
            int to = Math.min(out.length, (int) Math.round(word.end().toNanos() / 1e9 * rate));
            for (int i = from; i < to; i++) {
                out[i] = (float) (AMPLITUDE * Math.sin(2 * Math.PI * f * (i - from) / rate));
            }
        }
        return out;
    }

    static double frequency(String word) {
        return 300 + 100 * List.of(VOCABULARY).indexOf(word);
    }

    /** The engine. */
    static Uni<List<Segment>> hear(float[] samples, String prompt) {
        return Uni.createFrom().item(() -> segments(samples));
    }

    static List<Segment> segments(float[] samples) {
        List<Segment> segments = new ArrayList<>();
        List<Word> current = new ArrayList<>();
        int frames = (samples.length + FRAME - 1) / FRAME;
        int frame = 0;
        while (frame < frames) {
            if (!voiced(samples, frame)) {
                frame++;
                continue;
            }
            int first = frame;
            while (frame < frames && voiced(samples, frame)) {
                frame++;
            }
            int from = first * FRAME;
            int to = Math.min(samples.length, frame * FRAME);
            Word word = new Word(Words.seconds(from / (double) RATE), Words.seconds(to / (double) RATE),
                    name(samples, from, to), Float.NaN);
            if (!current.isEmpty() && Words.seconds(word.start()) - Words.seconds(current.getLast().end()) >= 0.5) {
                segments.add(Words.segment(current));
                current = new ArrayList<>();
            }
            current.add(word);
        }
        if (!current.isEmpty()) {
            segments.add(Words.segment(current));
        }
        return segments;
    }

    private static boolean voiced(float[] samples, int frame) {
        int from = frame * FRAME;
        int to = Math.min(samples.length, from + FRAME);
        double energy = 0;
        for (int i = from; i < to; i++) {
            energy += samples[i] * samples[i];
        }
        return energy / FRAME > 0.01;
    }

    /** Names a burst by its frequency, measured from sign changes (with hysteresis, so ringing does not count). */
    private static String name(float[] samples, int from, int to) {
        int crossings = 0;
        int sign = 0;
        int firstCrossing = -1;
        int lastCrossing = -1;
        for (int i = from; i < to; i++) {
            int s = samples[i] > 0.1 ? 1 : samples[i] < -0.1 ? -1 : 0;
            if (s != 0 && s != sign) {
                if (sign != 0) {
                    crossings++;
                    lastCrossing = i;
                    if (firstCrossing < 0) {
                        firstCrossing = i;
                    }
                }
                sign = s;
            }
        }
        if (crossings < 3) {
            return "?";
        }
        double f = (crossings - 1) / 2.0 * RATE / (lastCrossing - firstCrossing);
        int index = (int) Math.round((f - 300) / 100);
        return index >= 0 && index < VOCABULARY.length && Math.abs(f - frequency(VOCABULARY[index])) < 30
                ? VOCABULARY[index]
                : "?" + Math.round(f);
    }
}
