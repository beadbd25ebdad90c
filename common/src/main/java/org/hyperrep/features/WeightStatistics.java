package org.hyperrep.features;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.hyperrep.weights.WeightLayout;

import java.util.List;

/**
 * The feature set s(W) of the paper (docs/method.md): per layer, over the layer's weights only (biases excluded),
 * [mean, variance, p1, p25, p50, p75, p99], layers in network order: 7·L values (default output column
 * {@code sW}). Percentiles interpolate linearly between order statistics and the variance is the population
 * variance (ddof = 0), both as numpy computes them by default ({@link OrderStatistics}).
 * Needs the zoo's layout ({@link #setLayout}); saves with {@code write().save(path)}, loads with {@link #load}.
 */
public final class WeightStatistics extends LayoutStatistics<WeightStatistics> {
    private static final List<String> NAMES = List.of("mean", "var", "p1", "p25", "p50", "p75", "p99");

    public WeightStatistics(String uid) {
        super(uid, "sW");
    }

    public WeightStatistics() {
        this(Identifiable$.MODULE$.randomUID("weightStatistics"));
    }

    @Override
    protected List<String> statisticNames() { return NAMES; }

    @Override
    protected List<Segment> segments(WeightLayout layout) {
        return layout.layers().stream().map(l -> new Segment(l.name(), l.offset(), l.weightCount())).toList();
    }

    @Override
    protected void summarize(OrderStatistics s, double[] out, int at) {
        out[at] = s.mean();
        out[at + 1] = s.variance();
        out[at + 2] = s.quantile(0.01);
        out[at + 3] = s.quantile(0.25);
        out[at + 4] = s.quantile(0.50);
        out[at + 5] = s.quantile(0.75);
        out[at + 6] = s.quantile(0.99);
    }

    /** Number of features for a layout: 7 per layer. */
    public static int size(WeightLayout layout) { return NAMES.size() * layout.layers().size(); }

    /** Spark ML's reader (Pipeline persistence finds it by this static method). */
    public static MLReader<WeightStatistics> read() { return new DefaultParamsReader<>(); }

    public static WeightStatistics load(String path) { return read().load(path); }
}
