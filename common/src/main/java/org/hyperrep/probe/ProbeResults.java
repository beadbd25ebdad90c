package org.hyperrep.probe;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hyperrep.store.HadoopFiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes probe results and predictions: Parquet (any reader) and CSV (spreadsheets, the report). */
public final class ProbeResults {
    /** Columns of the results table, one row per {@link ProbeResult}, in its field order. */
    public static final StructType SCHEMA = new StructType()
            .add("target", DataTypes.StringType, false)
            .add("kind", DataTypes.StringType, false)
            .add("feature_set", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("test_metric", DataTypes.DoubleType, false)
            .add("validation_metric", DataTypes.DoubleType, false)
            .add("chosen_hyperparameter", DataTypes.DoubleType, true)
            .add("kendall_tau", DataTypes.DoubleType, true)
            .add("train_rows", DataTypes.LongType, false)
            .add("test_rows", DataTypes.LongType, false)
            .add("fit_seconds", DataTypes.DoubleType, false);

    private ProbeResults() {}

    public static Dataset<Row> toDataFrame(SparkSession spark, List<ProbeResult> results) {
        List<Row> rows = new ArrayList<>();
        for (ProbeResult r : results) {
            rows.add(RowFactory.create(r.target(), r.kind(), r.featureSet(), r.model(), r.testMetric(),
                    r.validationMetric(), r.chosenHyperparameter(), r.kendallTau(), r.trainRows(), r.testRows(),
                    r.fitSeconds()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** Results written by {@link #writeParquet}, in their written order. */
    public static List<ProbeResult> read(SparkSession spark, String uri) {
        List<ProbeResult> out = new ArrayList<>();
        for (Row r : spark.read().parquet(uri).select(SCHEMA.fieldNames()[0],
                java.util.Arrays.copyOfRange(SCHEMA.fieldNames(), 1, SCHEMA.size())).collectAsList()) {
            out.add(new ProbeResult(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getDouble(4),
                    r.getDouble(5), r.isNullAt(6) ? null : r.getDouble(6), r.isNullAt(7) ? null : r.getDouble(7),
                    r.getLong(8), r.getLong(9), r.getDouble(10)));
        }
        return out;
    }

    /** The results as one Parquet file in directory {@code uri} (replaced). */
    public static void writeParquet(SparkSession spark, List<ProbeResult> results, String uri) {
        toDataFrame(spark, results).coalesce(1).write().mode(SaveMode.Overwrite).parquet(uri);
    }

    /** The results as one CSV file at {@code uri} with a header row; empty fields for nulls; written atomically. */
    public static void writeCsv(List<ProbeResult> results, String uri) {
        StringBuilder b = new StringBuilder(String.join(",", SCHEMA.fieldNames())).append('\n');
        for (ProbeResult r : results) {
            b.append(csv(r.target())).append(',').append(csv(r.kind())).append(',').append(csv(r.featureSet()))
                    .append(',').append(csv(r.model())).append(',').append(num(r.testMetric())).append(',')
                    .append(num(r.validationMetric())).append(',').append(num(r.chosenHyperparameter())).append(',')
                    .append(num(r.kendallTau())).append(',').append(r.trainRows()).append(',').append(r.testRows())
                    .append(',').append(num(r.fitSeconds())).append('\n');
        }
        HadoopFiles.writeTextAtomically(new Path(uri), b.toString());
    }

    /** Per-sample test predictions ({@link ProbeSuite#PREDICTIONS_SCHEMA}) as Parquet in directory {@code uri}. */
    public static void writePredictions(Dataset<Row> predictions, String uri) {
        predictions.coalesce(1).write().mode(SaveMode.Overwrite).parquet(uri);
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%s", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
