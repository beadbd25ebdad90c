package org.hyperrep.probe;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.countDistinct;

/**
 * The characteristics of docs/method.md, as columns of the checkpoint table
 * ({@code data-schemas/checkpoints.schema.json}), and which of them a zoo lets us probe.
 */
public final class ProbeTargets {
    /** Numeric targets, scored by R². */
    public static final List<String> REGRESSION = List.of("epoch", "test_accuracy", "generalization_gap",
            "learning_rate", "weight_decay", "dropout", "train_fraction");
    /** Categorical targets, scored by accuracy. */
    public static final List<String> CLASSIFICATION = List.of("activation", "init", "optimizer");

    private ProbeTargets() {}

    /** Every target, regression first, in the order of the paper's table. */
    public static List<ProbeTarget> all() {
        List<ProbeTarget> out = new ArrayList<>();
        REGRESSION.forEach(t -> out.add(new ProbeTarget(t, ProbeTarget.Kind.REGRESSION)));
        CLASSIFICATION.forEach(t -> out.add(new ProbeTarget(t, ProbeTarget.Kind.CLASSIFICATION)));
        return out;
    }

    /**
     * The targets worth probing: present as a column and with at least two distinct values among
     * {@code trainRows} (a factor the zoo holds fixed has nothing to predict). One pass over the rows.
     */
    public static List<ProbeTarget> varying(Dataset<Row> trainRows) {
        List<String> columns = Arrays.asList(trainRows.columns());
        List<ProbeTarget> present = all().stream().filter(t -> columns.contains(t.name())).toList();
        if (present.isEmpty()) return List.of();
        Column[] counts = present.stream().map(t -> countDistinct(t.name()).alias(t.name())).toArray(Column[]::new);
        Row r = trainRows.agg(counts[0], Arrays.copyOfRange(counts, 1, counts.length)).first();
        List<ProbeTarget> out = new ArrayList<>();
        for (int i = 0; i < present.size(); i++) {
            if (r.getLong(i) >= 2) out.add(present.get(i));
        }
        return out;
    }
}
