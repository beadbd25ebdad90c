package org.hyperrep.report;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.hyperrep.config.BadInputException;
import org.hyperrep.probe.Metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * One feature set's predictions of one target on the test split: true and predicted values, sample by sample.
 *
 * @param featureSet the feature set, as named in the results table (e.g. "s(W)")
 * @param truth      true values
 * @param predicted  predicted values, same length and order as {@code truth}
 */
public record FeatureSetPredictions(String featureSet, double[] truth, double[] predicted) {
    /** Columns of the probe's per-sample predictions Parquet. */
    public static final String MODEL_ID = "model_id", EPOCH = "epoch", TARGET = "target",
            FEATURE_SET = "feature_set", TRUE = "true", PREDICTED = "predicted";

    public FeatureSetPredictions {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(featureSet + ": " + truth.length + " true values but "
                    + predicted.length + " predictions");
        }
    }

    public int size() { return truth.length; }

    /** Test R² of these predictions, as the probe's table reports it ({@link Metrics#r2}). */
    public double r2() {
        return Metrics.r2(truth, predicted);
    }

    /** The test-accuracy predictions of every feature set, from the probe's predictions (see {@link #collect}). */
    public static List<FeatureSetPredictions> testAccuracy(Dataset<Row> predictions) {
        return collect(predictions, Targets.TEST_ACCURACY);
    }

    /**
     * Collects one target's predictions to the driver, one entry per feature set in order of feature-set name,
     * samples in (model_id, epoch) order. The input has the columns model_id, epoch, target, feature_set, true,
     * predicted (numeric; cast to double); rows with a null or NaN true or predicted value are dropped.
     */
    public static List<FeatureSetPredictions> collect(Dataset<Row> predictions, String target) {
        for (String c : List.of(TARGET, FEATURE_SET, TRUE, PREDICTED, MODEL_ID, EPOCH)) {
            if (!List.of(predictions.columns()).contains(c)) {
                throw new BadInputException("the predictions have no column '" + c + "' (columns: "
                        + String.join(", ", predictions.columns()) + ")");
            }
        }
        List<Row> rows = predictions.filter(col(TARGET).equalTo(target))
                .select(col(FEATURE_SET), col(MODEL_ID), col(EPOCH), col(TRUE).cast("double").as(TRUE),
                        col(PREDICTED).cast("double").as(PREDICTED))
                .na().drop(new String[]{TRUE, PREDICTED})
                .orderBy(col(FEATURE_SET), col(MODEL_ID), col(EPOCH))
                .collectAsList();
        Map<String, List<double[]>> byFs = new LinkedHashMap<>();
        for (Row r : rows) {
            double t = r.getDouble(3), p = r.getDouble(4);
            byFs.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new double[]{t, p});
        }
        List<FeatureSetPredictions> out = new ArrayList<>();
        byFs.forEach((fs, pairs) -> {
            double[] t = new double[pairs.size()], p = new double[pairs.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = pairs.get(i)[0];
                p[i] = pairs.get(i)[1];
            }
            out.add(new FeatureSetPredictions(fs, t, p));
        });
        return out;
    }
}
