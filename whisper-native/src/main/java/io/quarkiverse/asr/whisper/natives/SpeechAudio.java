package io.quarkiverse.asr.whisper.natives;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The speech of some audio cut out and joined the way whisper.cpp's own VAD step does it ({@code whisper_vad}
 * in whisper.cpp 1.7.6 to 1.9.3, which only {@code whisper_full} on the context's default state runs): every
 * speech segment but the last extended by the overlap, 0.1 s of silence between segments. It keeps the map
 * of times in the joined audio back to the original, with the same points and linear interpolation.
 */
final class SpeechAudio {

    private static final int SAMPLE_RATE = 16_000;
    private static final int SILENCE_SAMPLES = SAMPLE_RATE / 10;

    private final float[] samples;
    /** Ascending times in the joined audio, in centiseconds. */
    private final long[] joined;
    /** The same instants in the original audio. */
    private final long[] original;

    private SpeechAudio(float[] samples, long[] joined, long[] original) {
        this.samples = samples;
        this.joined = joined;
        this.original = original;
    }

    private record Piece(int start, int length, SpeechSegment speech) {
    }

    private record Point(long joined, long original) {
    }

    /** Cuts {@code speech} (in order, as {@link WhisperVad#detectSpeech} finds it) out of {@code pcm}. */
    static SpeechAudio cut(float[] pcm, List<SpeechSegment> speech, float overlapSeconds) {
        int overlap = (int) (overlapSeconds * SAMPLE_RATE);
        int last = pcm.length - 1;
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < speech.size(); i++) {
            SpeechSegment segment = speech.get(i);
            int start = Math.min(centisToSamples(segment.t0Centis()), last);
            int end = centisToSamples(segment.t1Centis()) + (i < speech.size() - 1 ? overlap : 0);
            end = Math.min(end, last);
            if (end > start) {
                pieces.add(new Piece(start, end - start, segment));
            }
        }
        int total = pieces.stream().mapToInt(Piece::length).sum();
        float[] joinedSamples = new float[total + Math.max(0, pieces.size() - 1) * SILENCE_SAMPLES];
        List<Point> points = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            points.add(new Point(samplesToCentis(offset), piece.speech().t0Centis()));
            points.add(new Point(samplesToCentis(offset + piece.length()), piece.speech().t1Centis()));
            System.arraycopy(pcm, piece.start(), joinedSamples, offset, piece.length());
            offset += piece.length();
            if (i < pieces.size() - 1) {
                // the silence in between maps onto the original gap between the two segments
                points.add(new Point(samplesToCentis(offset), piece.speech().t1Centis()));
                points.add(new Point(samplesToCentis(offset + SILENCE_SAMPLES), pieces.get(i + 1).speech().t0Centis()));
                offset += SILENCE_SAMPLES;
            }
        }
        // stable sort, then keep the first point of equal joined times, as whisper.cpp does
        points.sort(Comparator.comparingLong(Point::joined));
        List<Point> unique = new ArrayList<>();
        for (Point point : points) {
            if (unique.isEmpty() || unique.getLast().joined() != point.joined()) {
                unique.add(point);
            }
        }
        return new SpeechAudio(joinedSamples, unique.stream().mapToLong(Point::joined).toArray(),
                unique.stream().mapToLong(Point::original).toArray());
    }

    float[] samples() {
        return samples;
    }

    boolean isEmpty() {
        return samples.length == 0;
    }

    /** A time in the joined audio as a time in the original audio, both in centiseconds. */
    long toOriginal(long joinedCentis) {
        if (joined.length == 0) {
            return joinedCentis;
        }
        if (joinedCentis <= joined[0]) {
            return original[0];
        }
        int lastPoint = joined.length - 1;
        if (joinedCentis >= joined[lastPoint]) {
            return original[lastPoint];
        }
        int upper = 1;
        while (joined[upper] < joinedCentis) {
            upper++;
        }
        if (joined[upper] == joinedCentis) {
            return original[upper];
        }
        int lower = upper - 1;
        return original[lower] + (joinedCentis - joined[lower]) * (original[upper] - original[lower])
                / (joined[upper] - joined[lower]);
    }

    private static int centisToSamples(long centis) {
        return (int) (centis / 100.0 * SAMPLE_RATE + 0.5);
    }

    private static long samplesToCentis(int samples) {
        return (long) (samples / (double) SAMPLE_RATE * 100.0 + 0.5);
    }
}
