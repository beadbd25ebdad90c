package org.hyperrep.probe;

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
     * n1 and n2 the pairs tied in x and in y (a pair tied in both counts in both). Equals τ-a without ties and is
     * what scipy's {@code kendalltau} returns by default. NaN when either side is constant.
     * <p>Counts all pairs: O(n²), about a second for 40,000 test rows, which is the size of the largest test split
     * we probe; Knight's O(n log n) algorithm is not worth its complexity here.
     */
    public static double kendallTauB(double[] x, double[] y) {
        checkLengths(x, y);
        int n = x.length;
        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0;
        for (int i = 0; i < n; i++) {
            double xi = x[i], yi = y[i];
            for (int j = i + 1; j < n; j++) {
                double dx = x[j] - xi, dy = y[j] - yi;
                if (dx == 0) tiedX++;
                if (dy == 0) tiedY++;
                if (dx == 0 || dy == 0) continue;
                if ((dx > 0) == (dy > 0)) concordant++;
                else discordant++;
            }
        }
        long pairs = (long) n * (n - 1) / 2;
        double denominator = Math.sqrt((double) (pairs - tiedX) * (double) (pairs - tiedY));
        return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
    }

    private static void checkLengths(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("true and predicted values differ in length: " + a.length + " vs " + b.length);
        }
    }
}
