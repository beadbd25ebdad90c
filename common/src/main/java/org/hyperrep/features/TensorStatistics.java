package org.hyperrep.features;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Unterthiner et al.'s statistics (docs/method.md): per tensor, the kernel and the bias of every layer apart,
 * [min, q25, median, q75, max, std, mean]; tensors in network order, each layer's kernel before its bias; layers
 * without a bias contribute the kernel only (default output column {@code tensorStats}). Quartiles interpolate
 * linearly and std is the population standard deviation (ddof = 0), as numpy computes them by default
 * ({@link OrderStatistics}). With gradient-boosted trees the strongest known simple baseline.
 * Needs the zoo's layout ({@link #setLayout}); saves with {@code write().save(path)}, loads with {@link #load}.
 */
public final class TensorStatistics extends LayoutStatistics<TensorStatistics> {
    private static final List<String> NAMES = List.of("min", "q25", "median", "q75", "max", "std", "mean");

    public TensorStatistics(String uid) {
        super(uid, "tensorStats");
    }

    public TensorStatistics() {
        this(Identifiable$.MODULE$.randomUID("tensorStatistics"));
    }

    @Override
    protected List<String> statisticNames() { return NAMES; }

    @Override
    protected List<Segment> segments(WeightLayout layout) {
        List<Segment> out = new ArrayList<>();
        for (LayerLayout l : layout.layers()) {
            out.add(new Segment(l.name() + ".kernel", l.offset(), l.weightCount()));
            if (l.bias()) out.add(new Segment(l.name() + ".bias", l.biasOffset(), l.out()));
        }
        return out;
    }

    @Override
    protected void summarize(OrderStatistics s, double[] out, int at) {
        out[at] = s.min();
        out[at + 1] = s.quantile(0.25);
        out[at + 2] = s.quantile(0.50);
        out[at + 3] = s.quantile(0.75);
        out[at + 4] = s.max();
        out[at + 5] = s.std();
        out[at + 6] = s.mean();
    }

    /** Number of features for a layout: 7 per kernel and 7 per bias. */
    public static int size(WeightLayout layout) {
        return NAMES.size() * (int) layout.layers().stream().mapToInt(l -> l.bias() ? 2 : 1).sum();
    }

    /** Spark ML's reader (Pipeline persistence finds it by this static method). */
    public static MLReader<TensorStatistics> read() { return new DefaultParamsReader<>(); }

    public static TensorStatistics load(String path) { return read().load(path); }
}
