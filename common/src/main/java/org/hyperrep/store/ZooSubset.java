package org.hyperrep.store;

import com.typesafe.config.Config;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.hyperrep.config.BadInputException;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * A nested subset of a zoo for scaling studies (config section {@code subset}): the first {@code models} of the
 * zoo's train and validation models in the order of a seeded hash of their ids, and every test model, so that
 * subsets of growing size contain each other and are all scored on the same test models. Optionally only some
 * checkpoint epochs. {@code models = 0} and no epochs: the whole zoo.
 *
 * @param models train + validation models kept (0 = all)
 * @param seed   seed of the hash order
 * @param epochs checkpoint epochs kept (empty = all)
 */
public record ZooSubset(int models, long seed, List<Integer> epochs) implements Serializable {

    public static ZooSubset from(Config c) {
        ZooSubset s = new ZooSubset(c.getInt("subset.models"), c.getLong("subset.seed"), c.getIntList("subset.epochs"));
        if (s.models() < 0) throw new BadInputException("subset.models must be >= 0 (0 = every model)");
        return s;
    }

    public boolean isWholeZoo() { return models == 0 && epochs.isEmpty(); }

    /** The rows of {@code checkpoints} (with model_id, epoch and split columns) that belong to the subset. */
    public Dataset<Row> apply(Dataset<Row> checkpoints) {
        Dataset<Row> rows = epochs.isEmpty() ? checkpoints : checkpoints.filter(col("epoch").isin(epochs.toArray()));
        if (models == 0) return rows;
        List<String> fitting = new ArrayList<>();
        for (Row r : checkpoints.filter(col("split").notEqual("test")).select("model_id").distinct().collectAsList()) {
            fitting.add(r.getString(0));
        }
        if (fitting.size() < models) {
            throw new BadInputException("subset.models = " + models + ", but the zoo has only " + fitting.size()
                    + " train and validation models");
        }
        List<String> kept = fitting.stream().sorted(Comparator.comparing(this::rank)).limit(models).toList();
        return rows.filter(col("split").equalTo("test").or(col("model_id").isin(kept.toArray())));
    }

    /** The model's place in the subset order: a hash of (seed, id). */
    String rank(String modelId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((seed + "/" + modelId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8) + modelId;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
