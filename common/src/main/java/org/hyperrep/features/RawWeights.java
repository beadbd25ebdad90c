package org.hyperrep.features;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;

/**
 * The feature set W of docs/method.md: the canonical weight vector itself, from the zoo's {@code weights} column
 * (array&lt;float&gt;) to a dense ml.linalg Vector (default output column {@code W}), ready for MLlib.
 * Saves with {@code write().save(path)}, loads with {@link #load(String)}.
 */
public final class RawWeights extends WeightFeatures<RawWeights> {

    public RawWeights(String uid) {
        super(uid, "weights", "W");
    }

    public RawWeights() {
        this(Identifiable$.MODULE$.randomUID("rawWeights"));
    }

    @Override
    protected Column features(Column weightVector) { return weightVector; }

    @Override
    protected String[] featureNames() { return null; }

    @Override
    protected boolean acceptsVectors() { return false; }

    /** Spark ML's reader (Pipeline persistence finds it by this static method). */
    public static MLReader<RawWeights> read() { return new DefaultParamsReader<>(); }

    public static RawWeights load(String path) { return read().load(path); }
}
