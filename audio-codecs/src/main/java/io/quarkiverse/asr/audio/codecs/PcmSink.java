package io.quarkiverse.asr.audio.codecs;

import java.util.Arrays;

import io.quarkiverse.asr.spi.audio.PcmAudio;

/**
 * Collects decoded audio as mono floats (channels averaged), refusing more than the configured duration.
 * The sample rate may be set late (once the first packet decoded), but not changed.
 */
final class PcmSink {

    private final Work work;
    private int sampleRate;
    private long maxSamples;
    private float[] buf = new float[0];
    private int size;

    PcmSink(Work work) {
        this.work = work;
    }

    PcmSink(Work work, int sampleRate) {
        this(work);
        sampleRate(sampleRate);
    }

    int sampleRate() {
        return sampleRate;
    }

    boolean hasRate() {
        return sampleRate > 0;
    }

    void sampleRate(int rate) {
        if (rate <= 0 || rate > 1_000_000) {
            throw work.fail("implausible sample rate " + rate);
        }
        if (sampleRate != 0 && sampleRate != rate) {
            throw work.fail("the sample rate changes within the stream (" + sampleRate + " Hz, then " + rate + " Hz)");
        }
        sampleRate = rate;
        maxSamples = work.limits.maxSamples(rate);
    }

    int size() {
        return size;
    }

    private int reserve(int n) {
        if (sampleRate == 0) {
            throw new IllegalStateException("sample rate not set");
        }
        long needed = (long) size + n;
        if (needed > maxSamples) {
            throw work.fail("the audio is longer than the limit of " + work.limits.maxDuration().toSeconds()
                    + " s (system property " + CodecLimits.MAX_DURATION_PROPERTY + ")");
        }
        if (needed > buf.length) {
            long grown = Math.max(needed, Math.max(8192, buf.length + (buf.length >> 1)));
            buf = Arrays.copyOf(buf, (int) Math.min(grown, maxSamples));
        }
        int at = size;
        size = (int) needed;
        return at;
    }

    void silence(int n) {
        if (n > 0 && sampleRate > 0) {
            reserve(n); // the new room is already zero
        }
    }

    /** Interleaved 16-bit samples. */
    void interleaved(short[] pcm, int frames, int channels, float gain) {
        int at = reserve(frames);
        float scale = gain / (32768f * channels);
        for (int i = 0, p = 0; i < frames; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += pcm[p++];
            }
            buf[at + i] = clamp(sum * scale);
        }
    }

    /** Planar float samples, {@code channels[c][offsets[c] + i]}, multiplied by {@code scale}. */
    void planar(float[][] channels, int[] offsets, int count, int frames, float scale) {
        int at = reserve(frames);
        float s = scale / count;
        for (int i = 0; i < frames; i++) {
            float sum = 0;
            for (int c = 0; c < count; c++) {
                sum += channels[c][offsets == null ? i : offsets[c] + i];
            }
            buf[at + i] = clamp(sum * s);
        }
    }

    /** Planar integer samples, multiplied by {@code scale}. */
    void planar(int[][] channels, int count, int frames, float scale) {
        int at = reserve(frames);
        float s = scale / count;
        for (int i = 0; i < frames; i++) {
            long sum = 0;
            for (int c = 0; c < count; c++) {
                sum += channels[c][i];
            }
            buf[at + i] = clamp(sum * s);
        }
    }

    /** Limits to -1..1 (lossy codecs overshoot a little, corrupt data a lot) and turns NaN into silence. */
    private static float clamp(float v) {
        if (v != v) {
            return 0f;
        }
        return v > 1f ? 1f : v < -1f ? -1f : v;
    }

    /**
     * The audio without the first {@code skip} samples and cut to {@code keep} samples where {@code keep >= 0}.
     * Skip and keep come from container metadata (encoder delay, padding): they may trim, never extend.
     */
    PcmAudio finish(long skip, long keep) {
        work.checkErrors();
        if (sampleRate == 0) {
            throw work.fail("no audio decoded");
        }
        int from = (int) Math.min(Math.max(0, skip), size);
        int to = size;
        if (keep >= 0 && from + keep < to) {
            to = (int) (from + keep);
        }
        if (to <= from) {
            throw work.fail("no audio samples decoded");
        }
        float[] out = from == 0 && to == buf.length ? buf : Arrays.copyOfRange(buf, from, to);
        buf = null;
        return new PcmAudio(out, sampleRate);
    }
}
