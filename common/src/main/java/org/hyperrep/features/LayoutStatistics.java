package org.hyperrep.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.hyperrep.store.Json;
import org.hyperrep.weights.WeightLayout;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.udf;

/**
 * Statistics of the tensors of a weight vector, located by the zoo's {@link WeightLayout}. The layout is kept as
 * a JSON string param so that the stage persists with the rest of its params; set it with
 * {@link #setLayout(WeightLayout)} (e.g. {@code new ZooStore(uri).requireManifest().layout()}).
 */
public abstract class LayoutStatistics<T extends LayoutStatistics<T>> extends WeightFeatures<T> {
    private final Param<String> layout;

    /** One contiguous range of the canonical vector that is summarized on its own. */
    protected record Segment(String name, int offset, int length) implements Serializable {
    }

    protected LayoutStatistics(String uid, String defaultOutput) {
        super(uid, "weights", defaultOutput);
        this.layout = new Param<>(this, "layout", "the canonical weight layout of the zoo (WeightLayout as JSON)");
    }

    public Param<String> layout() { return layout; }

    @SuppressWarnings("unchecked")
    public T setLayout(WeightLayout l) {
        try {
            set(layout, Json.MAPPER.writeValueAsString(l));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return (T) this;
    }

    /** The layout as it is stored in {@code zoo.json} (its {@code layout} object). */
    @SuppressWarnings("unchecked")
    public T setLayoutJson(String json) {
        parse(json);
        set(layout, json);
        return (T) this;
    }

    public WeightLayout getLayout() {
        validateParams();
        return parse($(layout));
    }

    /** Names of the statistics per segment, in output order. */
    protected abstract List<String> statisticNames();

    /** The segments of the vector, in output order. */
    protected abstract List<Segment> segments(WeightLayout layout);

    /** Writes the statistics of one segment to {@code out[at ..]}, in the order of {@link #statisticNames()}. */
    protected abstract void summarize(OrderStatistics s, double[] out, int at);

    /** The features of one weight vector: statistics of every segment, segment-major. */
    public double[] compute(double[] weights) {
        WeightLayout l = getLayout();
        if (weights.length != l.size()) {
            throw new IllegalArgumentException("a weight vector of length " + weights.length + " does not fit the "
                    + l.architecture() + " layout of " + l.size() + " parameters");
        }
        return compute(weights, segments(l));
    }

    private double[] compute(double[] weights, List<Segment> segs) {
        int k = statisticNames().size();
        double[] out = new double[segs.size() * k];
        for (int i = 0; i < segs.size(); i++) {
            summarize(OrderStatistics.of(weights, segs.get(i).offset(), segs.get(i).length()), out, i * k);
        }
        return out;
    }

    @Override
    protected void validateParams() {
        if (!isDefined(layout)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the layout param is not set "
                    + "(setLayout with the zoo's WeightLayout, e.g. ZooStore.requireManifest().layout())");
        }
    }

    @Override
    protected String[] featureNames() {
        List<String> names = new ArrayList<>();
        for (Segment s : segments(getLayout())) {
            for (String stat : statisticNames()) names.add(s.name() + "." + stat);
        }
        return names.toArray(String[]::new);
    }

    @Override
    protected Column features(Column weightVector) {
        // The layout is parsed once, here on the driver; the function ships the segments, not the JSON.
        LayoutStatistics<T> self = this;
        WeightLayout l = getLayout();
        int expected = l.size();
        List<Segment> segs = List.copyOf(segments(l));
        UDF1<Vector, Vector> f = v -> {
            if (v == null) return null;
            if (v.size() != expected) {
                throw new IllegalArgumentException("a weight vector of length " + v.size() + " does not fit the layout of "
                        + expected + " parameters");
            }
            return Vectors.dense(self.compute(v.toArray(), segs));
        };
        return udf(f, SQLDataTypes.VectorType()).apply(weightVector);
    }

    private static WeightLayout parse(String json) {
        try {
            return Json.MAPPER.readValue(json, WeightLayout.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the layout param is not a valid WeightLayout: " + e.getOriginalMessage(), e);
        }
    }
}
