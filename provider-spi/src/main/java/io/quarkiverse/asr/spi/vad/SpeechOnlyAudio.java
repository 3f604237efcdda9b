package io.quarkiverse.asr.spi.vad;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.quarkiverse.asr.spi.Segment;
import io.quarkiverse.asr.spi.Token;
import io.quarkiverse.asr.spi.Word;

/**
 * The speech of some audio cut out and joined, so that an engine transcribes no silence, with the map of times in the
 * joined audio back to the original. As whisper.cpp's own VAD step joins speech: every segment but the last extended
 * by 0.1 s, 0.1 s of silence between segments; a time inside a piece maps to the same instant in the original, a time
 * in the silence between two pieces to the gap between them (linearly).
 */
public final class SpeechOnlyAudio {

    private static final int SAMPLE_RATE = VoiceActivityDetector.SAMPLE_RATE;
    /** Audio kept after each segment but the last, and the silence put between segments. */
    private static final int OVERLAP = SAMPLE_RATE / 10;
    private static final int SILENCE = SAMPLE_RATE / 10;

    private final float[] samples;
    /** Ascending sample positions in the joined audio, and the same instants in the original. */
    private final long[] joined;
    private final long[] original;

    private SpeechOnlyAudio(float[] samples, long[] joined, long[] original) {
        this.samples = samples;
        this.joined = joined;
        this.original = original;
    }

    /**
     * Cuts {@code speech} out of {@code pcm16kMono}.
     *
     * @param speech in order, not overlapping, as {@link VoiceActivityDetector#detectSpeech} finds it
     */
    public static SpeechOnlyAudio of(float[] pcm16kMono, List<SpeechSegment> speech) {
        Objects.requireNonNull(pcm16kMono, "pcm16kMono");
        List<long[]> pieces = new ArrayList<>(); // {start, end} in the original
        for (int i = 0; i < speech.size(); i++) {
            long start = Math.min(Math.round(speech.get(i).start() * SAMPLE_RATE), pcm16kMono.length);
            long end = Math.min(Math.round(speech.get(i).end() * SAMPLE_RATE) + (i < speech.size() - 1 ? OVERLAP : 0),
                    pcm16kMono.length);
            if (!pieces.isEmpty()) {
                start = Math.max(start, pieces.getLast()[1]);
            }
            if (end > start) {
                pieces.add(new long[] { start, end });
            }
        }
        long total = pieces.stream().mapToLong(p -> p[1] - p[0]).sum() + (long) Math.max(0, pieces.size() - 1) * SILENCE;
        float[] samples = new float[Math.toIntExact(total)];
        long[] joined = new long[2 * pieces.size()];
        long[] original = new long[2 * pieces.size()];
        int at = 0;
        for (int i = 0; i < pieces.size(); i++) {
            long[] piece = pieces.get(i);
            int length = (int) (piece[1] - piece[0]);
            System.arraycopy(pcm16kMono, (int) piece[0], samples, at, length);
            joined[2 * i] = at;
            original[2 * i] = piece[0];
            joined[2 * i + 1] = at + length;
            original[2 * i + 1] = piece[1];
            at += length + SILENCE;
        }
        return new SpeechOnlyAudio(samples, joined, original);
    }

    /** The joined speech, 16 kHz mono; empty when there is none. */
    public float[] samples() {
        return samples;
    }

    public boolean isEmpty() {
        return samples.length == 0;
    }

    /** The instant of the original audio that {@code time} in the joined audio stands for. */
    public Duration toOriginal(Duration time) {
        if (joined.length == 0) {
            return time;
        }
        double position = time.toNanos() * (SAMPLE_RATE / 1e9);
        int last = joined.length - 1;
        double mapped;
        if (position <= joined[0]) {
            mapped = original[0];
        } else if (position >= joined[last]) {
            mapped = original[last];
        } else {
            int upper = 1;
            while (joined[upper] < position) {
                upper++;
            }
            int lower = upper - 1;
            mapped = original[lower] + (position - joined[lower]) * (original[upper] - original[lower])
                    / (joined[upper] - joined[lower]);
        }
        return Duration.ofNanos(Math.round(mapped * (1e9 / SAMPLE_RATE)));
    }

    /** {@code segment}, transcribed from the joined audio, with its times, its words' and its tokens' mapped back. */
    public Segment toOriginal(Segment segment) {
        List<Token> tokens = segment.tokens().stream().map(t -> new Token(t.id(), t.text(), t.probability(),
                toOriginal(t.start()), toOriginal(t.end())))
                .toList();
        List<Word> words = segment.words().stream()
                .map(w -> new Word(toOriginal(w.start()), toOriginal(w.end()), w.text(), w.probability())).toList();
        return new Segment(toOriginal(segment.start()), toOriginal(segment.end()), segment.text(), tokens, words);
    }
}
