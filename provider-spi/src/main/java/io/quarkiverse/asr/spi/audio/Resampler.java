package io.quarkiverse.asr.spi.audio;

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

    private Resampler() {
    }

    /**
     * Converts mono samples from one rate to another.
     *
     * @return {@code round(in.length * toRate / fromRate)} samples; {@code in} itself when the rates are equal
     * @throws IllegalArgumentException when a rate is not positive or one rate is more than 1000 times the other
     */
    public static float[] resample(float[] in, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0 || fromRate / toRate > MAX_RATIO || toRate / fromRate > MAX_RATIO) {
            throw new IllegalArgumentException("cannot resample from " + fromRate + " Hz to " + toRate + " Hz");
        }
        if (fromRate == toRate) {
            return in;
        }
        long outLength = (in.length * (long) toRate + fromRate / 2) / fromRate;
        if (outLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled audio would exceed the largest array: " + outLength);
        }
        int gcd = gcd(fromRate, toRate);
        long up = toRate / gcd;
        long down = fromRate / gcd;

        // Filter in input-sample units: cutoff (-6 dB) midway through the transition band, length from Kaiser's formula
        double nyquist = Math.min(fromRate, toRate) / 2.0;
        double cutoff = (1 + PASSBAND) / 2 * nyquist / fromRate;
        double transition = (1 - PASSBAND) * nyquist / fromRate;
        double halfWidth = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition) / 2;
        int half = (int) Math.ceil(halfWidth);
        half += half & 1; // an even half-width makes the tap count a multiple of 4 for dot()
        int taps = 2 * half;

        // One phase per output position of the reduced ratio when that is few enough, else interpolated phases
        int interpolated = Math.max(2, (int) Math.ceil(PHASES_PER_CUTOFF * cutoff));
        boolean exact = up <= interpolated;
        int phases = exact ? (int) up : interpolated;
        float[] table = table(phases + (exact ? 0 : 1), phases, taps, cutoff, halfWidth);

        float[] padded = new float[in.length + taps];
        System.arraycopy(in, 0, padded, half, in.length);
        float[] out = new float[(int) outLength];
        for (int k = 0; k < out.length; k++) {
            long position = k * down; // in units of 1/up input samples
            int start = (int) (position / up) + 1;
            long remainder = position % up;
            if (exact) {
                out[k] = dot(table, (int) remainder * taps, padded, start, taps);
            } else {
                double phase = (double) remainder * phases / up;
                int p = (int) phase;
                float a = (float) (phase - p);
                out[k] = (1 - a) * dot(table, p * taps, padded, start, taps)
                        + a * dot(table, (p + 1) * taps, padded, start, taps);
            }
        }
        return out;
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
