package org.hyperrep.probe;

import java.util.Arrays;

/**
 * Split-conformal prediction intervals for a regression probe (docs/method.md, "Prediction intervals"): the probe
 * is fitted on the train split; its absolute residuals on the n validation rows give the half width q, the
 * ⌈(n+1)·level⌉-th smallest of them, and [ŷ − q, ŷ + q] then covers a new model's true value with probability at
 * least {@code level} when validation and new models are exchangeable. Infinite when n is too small for the level.
 *
 * @param level          nominal coverage, e.g. 0.9
 * @param halfWidth      q
 * @param calibrationRows n, the validation rows q was taken from
 */
public record ConformalInterval(double level, double halfWidth, int calibrationRows) {
    public static final double DEFAULT_LEVEL = 0.9;

    /** The interval calibrated on validation {@code truth} and {@code predicted} values. */
    public static ConformalInterval calibrate(double[] truth, double[] predicted, double level) {
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1): " + level);
        int n = truth.length;
        if (predicted.length != n) throw new IllegalArgumentException("lengths differ: " + n + " vs " + predicted.length);
        double[] residuals = new double[n];
        for (int i = 0; i < n; i++) residuals[i] = Math.abs(truth[i] - predicted[i]);
        Arrays.sort(residuals);
        int rank = (int) Math.ceil((n + 1) * level);   // 1-based
        double q = rank > n ? Double.POSITIVE_INFINITY : residuals[rank - 1];
        return new ConformalInterval(level, q, n);
    }

    public double lower(double prediction) { return prediction - halfWidth; }

    public double upper(double prediction) { return prediction + halfWidth; }

    /** The fraction of ({@code truth}, {@code predicted}) pairs whose truth lies in the interval. NaN when empty. */
    public double coverage(double[] truth, double[] predicted) {
        if (truth.length == 0) return Double.NaN;
        int in = 0;
        for (int i = 0; i < truth.length; i++) {
            if (Math.abs(truth[i] - predicted[i]) <= halfWidth) in++;
        }
        return (double) in / truth.length;
    }
}
