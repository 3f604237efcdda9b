package io.quarkiverse.asr.benchmarks;

import java.util.Collection;
import java.util.List;

/** Order statistics of measurements. */
final class Stats {

    private Stats() {
    }

    static double median(Collection<? extends Number> values) {
        return percentile(values, 50);
    }

    /** The {@code p}-th percentile, interpolating between the two nearest values. */
    static double percentile(Collection<? extends Number> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("No measurements");
        }
        List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
        double rank = p / 100 * (sorted.size() - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return sorted.get(below) + (rank - below) * (sorted.get(above) - sorted.get(below));
    }

    static double min(Collection<? extends Number> values) {
        return percentile(values, 0);
    }

    static String millis(double nanos) {
        return String.format("%.1f", nanos / 1e6);
    }
}
