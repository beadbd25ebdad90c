package org.hyperrep.probe;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hyperrep.config.BadInputException;
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

    /** The results of a CSV file written by {@link #writeCsv}, in its order. */
    public static List<ProbeResult> readCsv(String uri) {
        Path path = new Path(uri);
        String[] lines = HadoopFiles.readText(path).split("\n");
        if (lines.length == 0 || !lines[0].equals(String.join(",", SCHEMA.fieldNames()))) {
            throw new BadInputException(uri + " is not a probe results CSV (header " + (lines.length == 0 ? "missing" : lines[0]) + ")");
        }
        List<ProbeResult> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) continue;
            List<String> f = splitCsv(lines[i]);
            if (f.size() != SCHEMA.fieldNames().length) {
                throw new BadInputException(uri + " line " + (i + 1) + ": " + f.size() + " fields, expected "
                        + SCHEMA.fieldNames().length);
            }
            try {
                out.add(new ProbeResult(f.get(0), f.get(1), f.get(2), f.get(3), Double.parseDouble(f.get(4)),
                        Double.parseDouble(f.get(5)), nullable(f.get(6)), nullable(f.get(7)), Long.parseLong(f.get(8)),
                        Long.parseLong(f.get(9)), Double.parseDouble(f.get(10))));
            } catch (NumberFormatException e) {
                throw new BadInputException(uri + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Double nullable(String s) {
        return s.isEmpty() ? null : Double.valueOf(s);
    }

    /** Fields of one CSV line as {@link #csv} quotes them. */
    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    f.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(ch);
            }
        }
        out.add(f.toString());
        return out;
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
