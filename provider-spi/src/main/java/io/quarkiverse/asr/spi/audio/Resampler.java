package io.quarkiverse.asr.spi.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Band-limited sample-rate conversion with a Kaiser-windowed sinc filter.
 * <p>
 * The filter passes up to 90 % of the lower rate's Nyquist frequency and attenuates everything from that Nyquist
 * frequency on by at least 90 dB, so down-sampling does not alias and up-sampling leaves no images. The conversion
 * ratio {@code toRate/fromRate} is used exactly (as a reduced fraction), so no sample is dropped or repeated; the
 * audio is taken as silent outside the input.
 */
public final class Resampler {

    private static final double PASSBAND = 0.9;
    private static final double STOPBAND_DB = 90;
    private static final double KAISER_BETA = 0.1102 * (STOPBAND_DB - 8.7);
    /**
     * Interpolating linearly between table phases errs by about {@code (2π·cutoff/phases)²/8}: this many phases per
     * unit of cutoff (in cycles per input sample) keep that near -120 dB.
     */
    private static final int PHASES_PER_CUTOFF = 2048;
    private static final int MAX_RATIO = 1000;

    private final int half;
    private final int taps;
    private final long up;
    private final long down;
    private final boolean exact;
    private final int phases;
    private final float[] table;

    private Resampler(int fromRate, int toRate) {
        int gcd = gcd(fromRate, toRate);
        up = toRate / gcd;
        down = fromRate / gcd;

        // Filter in input-sample units: cutoff (-6 dB) midway through the transition band, length from Kaiser's formula
        double nyquist = Math.min(fromRate, toRate) / 2.0;
        double cutoff = (1 + PASSBAND) / 2 * nyquist / fromRate;
        double transition = (1 - PASSBAND) * nyquist / fromRate;
        double halfWidth = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition) / 2;
        int h = (int) Math.ceil(halfWidth);
        half = h + (h & 1); // an even half-width makes the tap count a multiple of 4 for dot()
        taps = 2 * half;

        // One phase per output position of the reduced ratio when that is few enough, else interpolated phases
        int interpolated = Math.max(2, (int) Math.ceil(PHASES_PER_CUTOFF * cutoff));
        exact = up <= interpolated;
        phases = exact ? (int) up : interpolated;
        table = table(phases + (exact ? 0 : 1), phases, taps, cutoff, halfWidth);
    }

    /**
     * Converts mono samples from one rate to another.
     *
     * @return {@code round(in.length * toRate / fromRate)} samples; {@code in} itself when the rates are equal
     * @throws IllegalArgumentException when a rate is not positive or one rate is more than 1000 times the other
     */
    public static float[] resample(float[] in, int fromRate, int toRate) {
        checkRates(fromRate, toRate);
        if (fromRate == toRate) {
            return in;
        }
        long outLength = outputLength(in.length, fromRate, toRate);
        if (outLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled audio would exceed the largest array: " + outLength);
        }
        Resampler r = new Resampler(fromRate, toRate);
        float[] padded = new float[in.length + r.taps];
        System.arraycopy(in, 0, padded, r.half, in.length);
        float[] out = new float[(int) outLength];
        for (int k = 0; k < out.length; k++) {
            out[k] = r.output(k, padded, -r.half);
        }
        return out;
    }

    /**
     * A converter for audio that arrives in pieces: the concatenation of what {@link Incremental#push} and
     * {@link Incremental#finish} return is exactly what {@link #resample} returns for the whole audio.
     *
     * @throws IllegalArgumentException when a rate is not positive or one rate is more than 1000 times the other
     */
    public static Incremental incremental(int fromRate, int toRate) {
        checkRates(fromRate, toRate);
        return new Incremental(fromRate, toRate);
    }

    /** Converts a stream piece by piece; holds back only the filter's look-ahead. Not thread-safe. */
    public static final class Incremental {
        private final int fromRate;
        private final int toRate;
        private final Resampler resampler;
        /** Input samples from global index {@code base} on; indices below 0 are the silence before the audio. */
        private float[] pending;
        private int pendingLength;
        private long base;
        private long received;
        private long emitted;
        private boolean finished;

        private Incremental(int fromRate, int toRate) {
            this.fromRate = fromRate;
            this.toRate = toRate;
            this.resampler = fromRate == toRate ? null : new Resampler(fromRate, toRate);
            int half = resampler == null ? 0 : resampler.half;
            this.pending = new float[Math.max(1024, 2 * half)];
            this.pendingLength = half;
            this.base = -half;
        }

        /** The input sample rate. */
        public int fromRate() {
            return fromRate;
        }

        /**
         * Adds input and returns every output sample that no longer depends on input still to come.
         *
         * @throws IllegalStateException after {@link #finish()}
         */
        public float[] push(float[] samples) {
            return push(samples, 0, samples.length);
        }

        /**
         * Adds {@code length} samples of {@code samples} from {@code offset} on and returns every output sample that
         * no longer depends on input still to come.
         *
         * @throws IllegalStateException after {@link #finish()}
         */
        public float[] push(float[] samples, int offset, int length) {
            if (finished) {
                throw new IllegalStateException("finished");
            }
            Objects.checkFromIndexSize(offset, length, samples.length);
            received += length;
            if (resampler == null) {
                emitted += length;
                return Arrays.copyOfRange(samples, offset, offset + length);
            }
            append(samples, offset, length);
            // Output k reads inputs up to floor(k·down/up) + half: emit those whose last input has arrived
            long ready = Math.max(0, Math.ceilDiv((received - resampler.half) * resampler.up, resampler.down));
            return emit(Math.min(ready, outputLength(received, fromRate, toRate)));
        }

        /** Ends the input: returns the remaining output, computed as if silence followed. */
        public float[] finish() {
            if (finished) {
                throw new IllegalStateException("finished");
            }
            finished = true;
            if (resampler == null) {
                return new float[0];
            }
            append(new float[resampler.half], 0, resampler.half);
            return emit(outputLength(received, fromRate, toRate));
        }

        private void append(float[] samples, int offset, int length) {
            if (pendingLength + length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(2 * pending.length, pendingLength + length));
            }
            System.arraycopy(samples, offset, pending, pendingLength, length);
            pendingLength += length;
        }

        private float[] emit(long until) {
            int count = (int) Math.max(0, until - emitted);
            float[] out = new float[count];
            for (int i = 0; i < count; i++) {
                out[i] = resampler.output(emitted + i, pending, base);
            }
            emitted += count;
            // Keep only the inputs that the next output still reads
            long keepFrom = Math.floorDiv(emitted * resampler.down, resampler.up) + 1 - resampler.half;
            int drop = (int) Math.max(0, Math.min(keepFrom - base, pendingLength));
            System.arraycopy(pending, drop, pending, 0, pendingLength - drop);
            pendingLength -= drop;
            base += drop;
            return out;
        }
    }

    /** Output sample {@code k}; {@code x[i]} holds input sample {@code xBase + i} and covers every tap. */
    private float output(long k, float[] x, long xBase) {
        long position = k * down; // in units of 1/up input samples
        int start = (int) (position / up + 1 - half - xBase);
        long remainder = position % up;
        if (exact) {
            return dot(table, (int) remainder * taps, x, start, taps);
        }
        double phase = (double) remainder * phases / up;
        int p = (int) phase;
        float a = (float) (phase - p);
        return (1 - a) * dot(table, p * taps, x, start, taps) + a * dot(table, (p + 1) * taps, x, start, taps);
    }

    static long outputLength(long inLength, int fromRate, int toRate) {
        return (inLength * toRate + fromRate / 2) / fromRate;
    }

    private static void checkRates(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0 || fromRate / toRate > MAX_RATIO || toRate / fromRate > MAX_RATIO) {
            throw new IllegalArgumentException("cannot resample from " + fromRate + " Hz to " + toRate + " Hz");
        }
    }

    /**
     * Row {@code p} holds the taps for an output at {@code p/phases} of an input sample past input {@code n0}; tap
     * {@code j} weighs input {@code n0 - taps/2 + 1 + j}.
     */
    private static float[] table(int rows, int phases, int taps, double cutoff, double halfWidth) {
        float[] table = new float[rows * taps];
        double window0 = besselI0(KAISER_BETA);
        for (int p = 0; p < rows; p++) {
            double frac = (double) p / phases;
            double[] row = new double[taps];
            double sum = 0;
            for (int j = 0; j < taps; j++) {
                double t = frac + taps / 2 - 1 - j;
                double x = t / halfWidth;
                if (Math.abs(x) < 1) {
                    double arg = 2 * cutoff * t;
                    double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
                    row[j] = 2 * cutoff * sinc * besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / window0;
                    sum += row[j];
                }
            }
            // Unit gain at DC in every phase, so a constant signal stays constant instead of picking up a ripple
            for (int j = 0; j < taps; j++) {
                table[p * taps + j] = (float) (row[j] / sum);
            }
        }
        return table;
    }

    /** Four partial sums let the CPU overlap the additions instead of waiting on one running total. */
    private static float dot(float[] h, int hOffset, float[] x, int xOffset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int i = 0; i < length; i += 4) {
            s0 += h[hOffset + i] * x[xOffset + i];
            s1 += h[hOffset + i + 1] * x[xOffset + i + 1];
            s2 += h[hOffset + i + 2] * x[xOffset + i + 2];
            s3 += h[hOffset + i + 3] * x[xOffset + i + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; term > 1e-12 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
