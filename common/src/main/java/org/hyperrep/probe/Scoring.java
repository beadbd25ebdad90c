package org.hyperrep.probe;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.ClassificationModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/** What the probes share: column names, the label column, predictions collected and scored on the driver. */
final class Scoring {
    /** The numeric label column the MLlib learners are fitted on (the target cast to double, or its class index). */
    static final String LABEL = "label";
    static final String PREDICTION = "prediction";
    static final String PREDICTED_LABEL = "predicted_label";

    private Scoring() {}

    /** Test or validation rows scored by one probe; ids only when asked for. */
    record Scored(String[] modelIds, int[] epochs, double[] truth, double[] predicted, String[] trueLabels,
                  String[] predictedLabels) {
        int size() { return truth.length; }
    }

    static PipelineModel regressionPipeline(Transformer model) {
        return new PipelineModel(Identifiable$.MODULE$.randomUID("probe"), new Transformer[] {model});
    }

    static PipelineModel classificationPipeline(Transformer model, String[] labels) {
        IndexToString names = new IndexToString().setInputCol(PREDICTION).setOutputCol(PREDICTED_LABEL).setLabels(labels);
        return new PipelineModel(Identifiable$.MODULE$.randomUID("probe"), new Transformer[] {model, names});
    }

    /**
     * Applies the pipeline to {@code rows} and collects truth and prediction. For classification the truth is the
     * index of the row's label among {@code labels}, and {@code labels.length} (never predicted) for a class the
     * train split did not have.
     */
    static Scored score(PipelineModel pipeline, Dataset<Row> rows, String featuresCol, ProbeTarget target,
                        String[] labels, boolean withIds) {
        boolean classification = target.kind() == ProbeTarget.Kind.CLASSIFICATION;
        Dataset<Row> in = withIds ? rows.select(col("model_id"), col("epoch"), col(featuresCol), col(target.name()))
                : rows.select(col(featuresCol), col(target.name()));
        Dataset<Row> out = pipeline.transform(in);
        List<Row> got = (withIds
                ? out.select(col("model_id"), col("epoch"), col(target.name()), col(PREDICTION),
                        classification ? col(PREDICTED_LABEL) : col(PREDICTION))
                : out.select(col(target.name()), col(PREDICTION), classification ? col(PREDICTED_LABEL) : col(PREDICTION)))
                .collectAsList();
        int n = got.size(), o = withIds ? 2 : 0;
        Map<String, Integer> index = new HashMap<>();
        if (classification) {
            for (int i = 0; i < labels.length; i++) index.put(labels[i], i);
        }
        Scored s = new Scored(withIds ? new String[n] : null, withIds ? new int[n] : null, new double[n], new double[n],
                classification ? new String[n] : null, classification ? new String[n] : null);
        for (int i = 0; i < n; i++) {
            Row r = got.get(i);
            if (withIds) {
                s.modelIds()[i] = r.getString(0);
                s.epochs()[i] = ((Number) r.get(1)).intValue();
            }
            if (classification) {
                String truth = String.valueOf(r.get(o));
                s.trueLabels()[i] = truth;
                s.truth()[i] = index.getOrDefault(truth, labels.length);
                s.predictedLabels()[i] = r.getString(o + 2);
            } else {
                s.truth()[i] = ((Number) r.get(o)).doubleValue();
            }
            s.predicted()[i] = r.getDouble(o + 1);
        }
        return s;
    }

    /**
     * Scores several models of one target on the same rows in one pass (one Spark job, however many models): each
     * model writes its prediction to its own column. Returns truth and prediction per model, in model order.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static List<Scored> scoreAll(List<? extends PredictionModel> models, Dataset<Row> rows, String featuresCol,
                                 ProbeTarget target, String[] labels) {
        Dataset<Row> d = rows.select(col(featuresCol), col(target.name()));
        List<Column> out = new ArrayList<>(List.of(col(target.name())));
        for (int i = 0; i < models.size(); i++) {
            PredictionModel m = (PredictionModel) models.get(i).copy(ParamMap.empty());
            String name = "__prediction_" + i;
            m.setPredictionCol(name);
            // only the class is needed: an empty column name switches the other outputs off
            if (m instanceof ProbabilisticClassificationModel pm) pm.setProbabilityCol("");
            if (m instanceof ClassificationModel cm) cm.setRawPredictionCol("");
            d = m.transform(d);
            out.add(col(name));
        }
        List<Row> got = d.select(out.toArray(Column[]::new)).collectAsList();
        Map<String, Integer> index = new HashMap<>();
        if (labels != null) {
            for (int i = 0; i < labels.length; i++) index.put(labels[i], i);
        }
        double[] truth = new double[got.size()];
        for (int r = 0; r < truth.length; r++) {
            Object t = got.get(r).get(0);
            truth[r] = labels != null ? index.getOrDefault(String.valueOf(t), labels.length) : ((Number) t).doubleValue();
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            double[] p = new double[got.size()];
            for (int r = 0; r < p.length; r++) p[r] = got.get(r).getDouble(i + 1);
            scored.add(new Scored(null, null, truth, p, null, null));
        }
        return scored;
    }

    /** Rows with the vector size recorded on the features column, so that MLlib need not look at a row for it. */
    static Dataset<Row> withVectorSize(Dataset<Row> rows, String featuresCol) {
        int n = vectorSize(rows, featuresCol);
        return rows.withColumn(featuresCol, col(featuresCol).as(featuresCol, new AttributeGroup(featuresCol, n).toMetadata()));
    }

    /** R² for regression, accuracy for classification, as fractions. */
    static double metric(ProbeTarget.Kind kind, Scored s) {
        return kind == ProbeTarget.Kind.REGRESSION ? Metrics.r2(s.truth(), s.predicted())
                : Metrics.accuracy(s.truth(), s.predicted());
    }

    /** Whether {@code candidate} beats {@code best}; NaN (undefined metric) never wins, ties keep the earlier one. */
    static boolean better(double candidate, double best) {
        return !Double.isNaN(candidate) && (Double.isNaN(best) || candidate > best);
    }

    /** Length of the vectors in a column: from its ML attributes when present, else from the first row. */
    static int vectorSize(Dataset<Row> rows, String column) {
        int n = AttributeGroup.fromStructField(rows.schema().apply(column)).size();
        if (n >= 0) return n;
        Row first = rows.select(column).first();
        return ((Vector) first.get(0)).size();
    }

    /** Persists {@code d} unless it already is; returns whether this call did (so that it unpersists it too). */
    static boolean persistIfNeeded(Dataset<Row> d) {
        if (d.storageLevel().equals(StorageLevel.NONE())) {
            d.persist(StorageLevel.MEMORY_AND_DISK());
            return true;
        }
        return false;
    }
}
