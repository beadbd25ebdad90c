package org.hyperrep.features;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.hyperrep.weights.WeightLayout;

/**
 * The baselines of the paper's table as vector columns, computed from a checkpoint's weights the same way for
 * {@code probe} (a zoo) and {@code predict} (models outside any zoo): W ({@link RawWeights}), s(W)
 * ({@link WeightStatistics}) and Unterthiner's statistics ({@link TensorStatistics}, for the boosted trees).
 */
public final class BaselineFeatures {
    /** Column of the raw weights W. */
    public static final String W = "W";
    /** Column of the per-layer statistics s(W). */
    public static final String S_W = "sW";
    /** Column of Unterthiner's per-tensor statistics. */
    public static final String STATS = "stats";

    private BaselineFeatures() {}

    /** {@code rows} with the columns {@link #W}, {@link #S_W} and {@link #STATS} computed from {@code weightsCol}. */
    public static Dataset<Row> add(Dataset<Row> rows, String weightsCol, WeightLayout layout) {
        rows = new RawWeights().setInputCol(weightsCol).setOutputCol(W).transform(rows);
        rows = new WeightStatistics().setLayout(layout).setInputCol(weightsCol).setOutputCol(S_W).transform(rows);
        return new TensorStatistics().setLayout(layout).setInputCol(weightsCol).setOutputCol(STATS).transform(rows);
    }
}
