package org.hyperrep.report;

import java.awt.Color;
import java.util.Arrays;
import java.util.Locale;

/**
 * Discrete colour classes for a continuous value, since XChart has no continuous colour map: up to {@code maxBins}
 * bins holding about equal numbers of points (one bin per distinct value when there are few, e.g. epochs), each
 * with a colour of a sequential palette and a label giving the range of values in it.
 *
 * @param binOf  per point, its bin, or -1 for a NaN value
 * @param labels per bin, "lo–hi" of the values in it (one value if lo = hi)
 * @param colours per bin, from the dark-to-light {@link #PALETTE}, evenly spaced
 */
record QuantileBins(int[] binOf, String[] labels, Color[] colours) {
    static {
        Headless.ensure(); // before PALETTE: creating a Color fixes AWT's headless mode
    }

    /** Viridis at 8 evenly spaced stops: perceptually uniform, ordered, readable in grey and by colour-blind readers. */
    static final Color[] PALETTE = {new Color(0x440154), new Color(0x46327e), new Color(0x365c8d),
            new Color(0x277f8e), new Color(0x1fa187), new Color(0x4ac16d), new Color(0xa0da39), new Color(0xfde725)};

    int bins() { return labels.length; }

    static QuantileBins of(double[] values, int maxBins) {
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int[] binOf = new int[values.length];
        Arrays.fill(binOf, -1);
        if (finite.length == 0) return new QuantileBins(binOf, new String[0], new Color[0]);
        double[] distinct = Arrays.stream(finite).distinct().toArray();
        double[] edges; // lower edges: a point belongs to the last bin whose edge is <= its value
        if (distinct.length <= maxBins) {
            edges = distinct;
        } else {
            double[] picks = new double[maxBins];
            for (int i = 0; i < maxBins; i++) picks[i] = finite[(int) ((long) i * finite.length / maxBins)];
            edges = Arrays.stream(picks).distinct().toArray(); // ties in the data can merge quantiles
        }
        int k = edges.length;
        double[] lo = new double[k], hi = new double[k];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) continue;
            int pos = Arrays.binarySearch(edges, v);
            int b = pos >= 0 ? pos : -pos - 2;
            binOf[i] = b;
            lo[b] = Math.min(lo[b], v);
            hi[b] = Math.max(hi[b], v);
        }
        String pattern = pattern(finite);
        String[] labels = new String[k];
        Color[] colours = new Color[k];
        for (int b = 0; b < k; b++) {
            labels[b] = lo[b] == hi[b] ? String.format(Locale.ROOT, pattern, lo[b])
                    : String.format(Locale.ROOT, pattern + "–" + pattern, lo[b], hi[b]);
            colours[b] = PALETTE[k == 1 ? 0 : (int) Math.round((double) b * (PALETTE.length - 1) / (k - 1))];
        }
        return new QuantileBins(binOf, labels, colours);
    }

    /** Enough decimals to tell bins apart: integers as integers, otherwise one digit below the spread's order. */
    private static String pattern(double[] sorted) {
        boolean integral = Arrays.stream(sorted).allMatch(v -> v == Math.rint(v));
        if (integral) return "%.0f";
        double spread = sorted[sorted.length - 1] - sorted[0];
        int decimals = spread > 0 ? (int) Math.ceil(-Math.log10(spread)) + 1 : 3;
        return "%." + Math.max(0, Math.min(6, decimals)) + "f";
    }
}
