package org.hyperrep.zoo;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;

/** A plain-text summary of a zoo: identity, rows per status/epoch/split, factor values, accuracy distribution. */
public final class ZooDescription {
    private ZooDescription() {}

    public static String of(SparkSession spark, String uri) {
        ZooStore store = new ZooStore(uri);
        ZooManifest m = store.requireManifest();
        Dataset<Row> rows = store.checkpoints(spark).drop("weights").cache();
        StringBuilder s = new StringBuilder();
        s.append(String.format("zoo %s at %s%n", m.name(), uri));
        s.append(String.format("  architecture %s (%d parameters, %d layers), data set %s%n", m.architecture(),
                m.layout().size(), m.layout().layers().size(), m.dataset().name()));
        s.append(String.format("  %d models, %d checkpoints, %d builds%n", rows.select("model_id").distinct().count(),
                rows.count(), m.builds().size()));
        table(s, "rows per status", rows.groupBy("status").agg(count("*").as("rows"),
                countDistinct("model_id").as("models")).orderBy("status"));
        table(s, "rows per split", rows.groupBy("split").agg(count("*").as("rows"),
                countDistinct("model_id").as("models")).orderBy("split"));
        table(s, "rows per epoch", rows.groupBy("epoch").agg(count("*").as("rows"),
                expr("round(avg(test_accuracy), 4)").as("mean_test_acc")).orderBy("epoch"));
        s.append("factor values\n");
        for (Map.Entry<String, List<Object>> e : m.factorValues().entrySet()) {
            s.append(String.format("  %-15s %s%n", e.getKey(), e.getValue()));
        }
        int last = rows.agg(max("epoch")).first().isNullAt(0) ? 0 : rows.agg(max("epoch")).first().getInt(0);
        table(s, "test accuracy at epoch " + last + " (status ok)", rows
                .filter(col("epoch").equalTo(last).and(col("status").equalTo("ok")))
                .agg(count("*").as("n"), expr("round(min(test_accuracy), 4)").as("min"),
                        expr("round(percentile_approx(test_accuracy, 0.25), 4)").as("p25"),
                        expr("round(percentile_approx(test_accuracy, 0.5), 4)").as("median"),
                        expr("round(percentile_approx(test_accuracy, 0.75), 4)").as("p75"),
                        expr("round(max(test_accuracy), 4)").as("max"),
                        expr("round(avg(generalization_gap), 4)").as("mean_gap")));
        rows.unpersist();
        return s.toString();
    }

    private static void table(StringBuilder s, String title, Dataset<Row> d) {
        s.append(title).append('\n');
        String[] cols = d.columns();
        List<Row> rs = d.collectAsList();
        s.append("  ");
        for (String c : cols) s.append(String.format("%-14s", c));
        s.append('\n');
        for (Row r : rs) {
            s.append("  ");
            for (int i = 0; i < cols.length; i++) s.append(String.format("%-14s", r.isNullAt(i) ? "-" : r.get(i)));
            s.append('\n');
        }
    }
}
