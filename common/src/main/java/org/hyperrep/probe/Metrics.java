package org.hyperrep.probe;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;

/**
 * The metrics the probes report (docs/method.md), each defined once here so that the λ selection, the report and
 * the tests agree on them. Inputs are parallel arrays of true and predicted values; NaN in the output means the
 * metric is undefined for that input (e.g. R² of a constant target).
 */
public final class Metrics {
    private Metrics() {}

    /**
     * Coefficient of determination 1 − SS_res / SS_tot, with SS_tot around the mean of {@code truth} (as sklearn's
     * {@code r2_score}): 1 for a perfect prediction, 0 for predicting the mean, negative when worse than the mean.
     * NaN when {@code truth} is constant or empty.
     */
    public static double r2(double[] truth, double[] predicted) {
        checkLengths(truth, predicted);
        int n = truth.length;
        if (n == 0) return Double.NaN;
        double mean = 0;
        for (double t : truth) mean += t;
        mean /= n;
        double res = 0, tot = 0;
        for (int i = 0; i < n; i++) {
            double e = truth[i] - predicted[i];
            double d = truth[i] - mean;
            res += e * e;
            tot += d * d;
        }
        return tot == 0 ? Double.NaN : 1 - res / tot;
    }

    /** Fraction of exact matches (class indices compared as doubles). NaN when empty. */
    public static double accuracy(double[] truth, double[] predicted) {
        checkLengths(truth, predicted);
        if (truth.length == 0) return Double.NaN;
        int hits = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == predicted[i]) hits++;
        }
        return (double) hits / truth.length;
    }

    /**
     * Kendall's τ-b: (C − D) / sqrt((n0 − n1)(n0 − n2)) with C, D the concordant and discordant pairs, n0 = n(n−1)/2,
     * n1 and n2 the pairs tied in x and in y. Equals τ-a without ties and is what scipy's {@code kendalltau} returns
     * by default. Commons Math's O(n log n) implementation (Knight's algorithm). NaN when either side is constant.
     */
    public static double kendallTauB(double[] x, double[] y) {
        checkLengths(x, y);
        if (x.length < 2) return Double.NaN;
        double tau = new KendallsCorrelation().correlation(x, y);
        return Double.isFinite(tau) ? tau : Double.NaN;
    }

    private static void checkLengths(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("true and predicted values differ in length: " + a.length + " vs " + b.length);
        }
    }
}
