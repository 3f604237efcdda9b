package io.quarkiverse.asr.spi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

    @ParameterizedTest
    @CsvSource({ "44100, 16000", "48000, 16000", "22050, 16000", "8000, 16000", "44056, 16000", "16000, 48000" })
    void aOneKilohertzToneKeepsItsAmplitudeAndFrequency(int from, int to) {
        float[] out = Resampler.resample(tone(1000, from, 2, 0.5), from, to);
        // Fitting a sinusoid of exactly 1 kHz: a shifted frequency or an image would be left in the residual
        Fit fit = Fit.of(out, 1000, to);
        assertThat(20 * Math.log10(fit.amplitude / 0.5)).isCloseTo(0, within(0.001));
        assertThat(fit.residualDb).isLessThan(-95);
    }

    @ParameterizedTest
    @CsvSource({ "48000, 16000", "44100, 16000", "22050, 16000" })
    void aSweepThroughThePassbandComesOutAsIfSampledAtTheNewRate(int from, int to) {
        double seconds = 2;
        float[] out = Resampler.resample(sweep(50, 7000, seconds, from), from, to);
        float[] ideal = sweep(50, 7000, seconds, to);
        assertThat(out).hasSameSizeAs(ideal);
        double error = 0;
        double signal = 0;
        for (int i = to / 10; i < ideal.length - to / 10; i++) {
            error += (out[i] - ideal[i]) * (out[i] - ideal[i]);
            signal += ideal[i] * ideal[i];
        }
        assertThat(10 * Math.log10(error / signal)).isLessThan(-100);
    }

    @ParameterizedTest
    @CsvSource({ "8200", "9000", "12000", "20000" })
    void tonesAboveTheNewNyquistFrequencyAreRemovedNotAliased(int frequency) {
        float[] out = Resampler.resample(tone(frequency, 48000, 1, 0.5), 48000, 16000);
        double attenuation = 20 * Math.log10(rms(out, 1600, out.length - 1600) / (0.5 / Math.sqrt(2)));
        assertThat(attenuation).isLessThan(-90);
    }

    @Test
    void upSamplingLeavesNoImages() {
        float[] out = Resampler.resample(tone(3000, 8000, 1, 0.5), 8000, 16000);
        // an image of 3 kHz at 16 - 3 = 13 kHz cannot exist at 16 kHz, but 8 - 3 = 5 kHz would
        Fit fit = Fit.of(out, 3000, 16000);
        assertThat(20 * Math.log10(fit.amplitude / 0.5)).isCloseTo(0, within(0.001));
        assertThat(fit.residualDb).isLessThan(-95);
    }

    @Test
    void lengthIsTheRoundedRatio() {
        int[][] pairs = { { 44100, 16000 }, { 48000, 16000 }, { 22050, 16000 }, { 8000, 16000 }, { 44056, 16000 },
                { 16000, 44100 }, { 1_000_000, 16000 }, { 1000, 16000 } };
        for (int[] pair : pairs) {
            for (int n : new int[] { 0, 1, 2, 3, 7, 100, 441, 1000, 12_345 }) {
                int length = Resampler.resample(new float[n], pair[0], pair[1]).length;
                assertThat((double) length).as("%d samples from %d to %d Hz", n, pair[0], pair[1])
                        .isCloseTo((double) n * pair[1] / pair[0], within(0.5 + 1e-9));
            }
        }
    }

    @Test
    void aConstantStaysConstantAtAnyRatio() {
        int[][] pairs = { { 44056, 16000 }, { 11025, 16000 }, { 16000, 44100 }, { 8000, 44100 }, { 1000, 16000 },
                { 1_000_000, 16000 }, { 48000, 8000 }, { 999_983, 16000 } };
        for (int[] pair : pairs) {
            float[] in = new float[pair[0]];
            Arrays.fill(in, 0.5f);
            float[] out = Resampler.resample(in, pair[0], pair[1]);
            for (int i = out.length / 4; i < 3 * out.length / 4; i++) {
                assertThat(out[i]).as("%d to %d Hz", pair[0], pair[1]).isCloseTo(0.5f, within(1e-5f));
            }
        }
    }

    @Test
    void equalRatesReturnTheInputAndNonsenseRatesAreRefused() {
        float[] in = { 1, 2, 3 };
        assertThat(Resampler.resample(in, 16000, 16000)).isSameAs(in);
        assertThatThrownBy(() -> Resampler.resample(in, 0, 16000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resampler.resample(in, 16000, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resampler.resample(in, 16_000_000, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({ "48000, 16000", "44100, 16000", "22050, 16000", "11025, 16000", "8000, 16000", "16000, 16000",
            "16000, 44100", "44056, 16000" })
    void piecesGiveExactlyTheWholeConversion(int from, int to) {
        Random random = new Random(from + to);
        float[] in = new float[from * 3 + random.nextInt(from)];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextGaussian() * 0.2f;
        }
        float[] whole = Resampler.resample(in, from, to);
        for (int maxPiece : new int[] { 1, 37, from / 100, from, 5 * from }) {
            Resampler.Incremental incremental = Resampler.incremental(from, to);
            float[] joined = new float[whole.length + 1];
            int length = 0;
            int at = 0;
            while (at <= in.length) {
                int n = Math.min(in.length - at, 1 + random.nextInt(maxPiece));
                float[] out = at == in.length ? incremental.finish()
                        : incremental.push(Arrays.copyOfRange(in, at, at + n));
                assertThat(length + out.length).as("output so far").isLessThanOrEqualTo(whole.length);
                System.arraycopy(out, 0, joined, length, out.length);
                length += out.length;
                at += at == in.length ? 1 : n;
            }
            assertThat(Arrays.copyOf(joined, length)).as("pieces of up to %d samples", maxPiece).isEqualTo(whole);
        }
    }

    @Test
    void anIncrementalConverterHoldsBackOnlyTheFilterLookAheadAndIsUsedOnce() {
        Resampler.Incremental incremental = Resampler.incremental(48000, 16000);
        assertThat(incremental.push(new float[48000]).length).isBetween(16000 - 100, 16000);
        assertThat(incremental.finish().length).isBetween(0, 100);
        assertThatThrownBy(() -> incremental.push(new float[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Resampler.incremental(16_000_000, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] tone(double frequency, int rate, double seconds, double amplitude) {
        float[] out = new float[(int) (rate * seconds)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return out;
    }

    /** A linear chirp at half scale, defined in continuous time so that every rate samples the same signal. */
    private static float[] sweep(double from, double to, double seconds, int rate) {
        float[] out = new float[(int) Math.round(rate * seconds)];
        double slope = (to - from) / seconds;
        for (int i = 0; i < out.length; i++) {
            double t = (double) i / rate;
            out[i] = (float) (0.5 * Math.sin(2 * Math.PI * (from * t + slope * t * t / 2)));
        }
        return out;
    }

    private static double rms(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Least-squares fit of {@code a·sin + b·cos} at one frequency over the middle half of the signal. */
    private record Fit(double amplitude, double residualDb) {

        static Fit of(float[] y, double frequency, int rate) {
            int from = y.length / 4;
            int to = 3 * y.length / 4;
            double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
            for (int i = from; i < to; i++) {
                double w = 2 * Math.PI * frequency * i / rate;
                double s = Math.sin(w);
                double c = Math.cos(w);
                ss += s * s;
                sc += s * c;
                cc += c * c;
                ys += y[i] * s;
                yc += y[i] * c;
            }
            double det = ss * cc - sc * sc;
            double a = (ys * cc - yc * sc) / det;
            double b = (yc * ss - ys * sc) / det;
            double residual = 0;
            double signal = 0;
            for (int i = from; i < to; i++) {
                double w = 2 * Math.PI * frequency * i / rate;
                double fitted = a * Math.sin(w) + b * Math.cos(w);
                residual += (y[i] - fitted) * (y[i] - fitted);
                signal += fitted * fitted;
            }
            return new Fit(Math.hypot(a, b), 10 * Math.log10(residual / signal));
        }
    }
}
