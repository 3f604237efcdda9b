package io.quarkiverse.asr.audio.codecs;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Turns a codec's output into mono (channels averaged) and streams it on to the decode's
 * {@link io.quarkiverse.asr.spi.audio.PcmOutput}, refusing more than the configured duration. It applies the
 * container's trims as the audio passes: the encoder delay skipped at the start, a declared length past which samples
 * are dropped, and end padding known only once the stream has ended, for which the last {@link #hold} samples are held
 * back. The sample rate may be set late (once the first packet decoded), but not changed.
 */
final class PcmSink {

    /** What the container says to cut, in samples at the stream's rate. */
    record Trim(long skip, long keep) {
        static final Trim NONE = new Trim(0, -1);
    }

    private final Work work;
    private final IntFunction<Trim> trimAtRate;
    private int sampleRate;
    private long maxSamples;
    /** Samples the codec produced, trimmed or not. */
    private long produced;
    private long skip;
    /** Produced samples from this index on are dropped, or -1. */
    private long end = -1;
    private int hold;
    /** Samples kept but not yet written out: the last {@code hold} of them wait for the end trim. */
    private float[] buf = new float[0];
    private int held;
    private long written;

    PcmSink(Work work) {
        this(work, rate -> Trim.NONE);
    }

    PcmSink(Work work, int sampleRate) {
        this(work);
        sampleRate(sampleRate);
    }

    /** @param trimAtRate the trims, told the stream's rate as soon as it is known (before any sample) */
    PcmSink(Work work, IntFunction<Trim> trimAtRate) {
        this.work = work;
        this.trimAtRate = trimAtRate;
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
        if (sampleRate == 0) {
            sampleRate = rate;
            maxSamples = work.limits.maxSamples(rate);
            hold = Math.max(1 << 14, rate / 8);
            work.out.start(rate);
            Trim trim = trimAtRate.apply(rate);
            trim(trim.skip(), trim.keep());
        }
    }

    /** Skips the first {@code skip} samples and keeps at most {@code keep} after them ({@code -1}: all); before any sample. */
    void trim(long skip, long keep) {
        if (produced > 0) {
            throw new IllegalStateException("trim after samples arrived");
        }
        this.skip = Math.max(0, skip);
        this.end = keep >= 0 ? this.skip + keep : -1;
    }

    /**
     * The length the container declares, in samples before trimming, where the decoder holds to it (a FLAC stream
     * ends there): the decode's memory is reserved for it (up to the duration limit) before decoding, so that audio
     * that cannot fit is refused at once. Lengths that are only hints (MP3's Xing frame count, Ogg's last granule) are
     * not announced: a corrupt one would refuse a short file.
     */
    void expect(long samples) {
        long kept = end >= 0 ? Math.min(samples, end) : samples;
        work.out.expect(Math.min(maxSamples, Math.max(0, kept - skip)));
    }

    /** Samples the codec produced so far, before trimming. */
    long size() {
        return produced;
    }

    /** Room for {@code n} more samples at {@code buf[held]}. */
    private int reserve(int n) {
        if (sampleRate == 0) {
            throw new IllegalStateException("sample rate not set");
        }
        if (produced + n > maxSamples) {
            throw work.fail("the audio is longer than the limit of " + work.limits.maxDuration().toSeconds()
                    + " s (system property " + CodecLimits.MAX_DURATION_PROPERTY + ")");
        }
        if (held + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(held + n, 2 * hold + 8192));
        }
        return held;
    }

    /** Takes the {@code n} samples just put at {@code buf[held]} through the trims, and writes out what is ripe. */
    private void commit(int n) {
        long first = produced;
        produced += n;
        int drop = (int) Math.clamp(skip - first, 0, n);
        long stop = end < 0 ? produced : Math.clamp(end, first, produced);
        int kept = (int) Math.max(0, stop - first - drop);
        if (drop > 0 && kept > 0) {
            System.arraycopy(buf, held + drop, buf, held, kept);
        }
        held += kept;
        if (held > 2 * hold) {
            writeOut(held - hold);
        }
    }

    private void writeOut(int n) {
        work.out.write(buf, 0, n);
        written += n;
        System.arraycopy(buf, n, buf, 0, held - n);
        held -= n;
    }

    void silence(int n) {
        if (n > 0 && sampleRate > 0) {
            int at = reserve(n);
            Arrays.fill(buf, at, at + n, 0f);
            commit(n);
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
        commit(frames);
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
        commit(frames);
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
        commit(frames);
    }

    /** Limits to -1..1 (lossy codecs overshoot a little, corrupt data a lot) and turns NaN into silence. */
    private static float clamp(float v) {
        if (v != v) {
            return 0f;
        }
        return v > 1f ? 1f : v < -1f ? -1f : v;
    }

    /** Ends the stream with nothing more to cut. */
    void finish() {
        finish(0);
    }

    /**
     * Ends the stream, dropping its last {@code padding} samples (end padding the container declares, at most what is
     * held back), and writes out the rest.
     */
    void finish(long padding) {
        work.checkErrors();
        if (sampleRate == 0) {
            throw work.fail("no audio decoded");
        }
        int cut = (int) Math.clamp(padding, 0, held);
        held -= cut;
        if (held > 0) {
            writeOut(held);
        }
        if (written == 0) {
            throw work.fail("no audio samples decoded");
        }
    }
}
