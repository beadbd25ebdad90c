package org.hyperrep.features;

import java.util.Arrays;

/**
 * Summary statistics of one tensor, computed from one sort of a primitive copy (no boxing). Percentiles
 * interpolate linearly between order statistics, numpy's default ({@code method="linear"}): the q-quantile of n
 * sorted values is x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) with h = (n − 1)q. Variance and standard deviation are
 * the population ones (ddof = 0, numpy's default). All in double precision from the float weights.
 */
public final class OrderStatistics {
    private final double[] sorted;
    private final double mean;
    private final double variance;

    private OrderStatistics(double[] sorted) {
        this.sorted = sorted;
        double sum = 0;
        for (double v : sorted) sum += v;
        this.mean = sum / sorted.length;
        // Two passes: the one-pass formula loses all digits when |mean| >> std, which happens for biases.
        double ss = 0;
        for (double v : sorted) {
            double d = v - mean;
            ss += d * d;
        }
        this.variance = ss / sorted.length;
    }

    /** Statistics of {@code values[offset .. offset + length)}; the input is not modified. */
    public static OrderStatistics of(double[] values, int offset, int length) {
        if (length < 1) throw new IllegalArgumentException("statistics of an empty tensor");
        double[] copy = Arrays.copyOfRange(values, offset, offset + length);
        Arrays.sort(copy);
        return new OrderStatistics(copy);
    }

    public double mean() { return mean; }

    /** Population variance (ddof = 0). */
    public double variance() { return variance; }

    /** Population standard deviation (ddof = 0). */
    public double std() { return Math.sqrt(variance); }

    public double min() { return sorted[0]; }

    public double max() { return sorted[sorted.length - 1]; }

    /** The q-quantile, q in [0, 1], by linear interpolation (numpy's default). */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile " + q + " is not in [0, 1]");
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
