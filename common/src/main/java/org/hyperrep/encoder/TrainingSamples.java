package org.hyperrep.encoder;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.store.ZooStore;
import org.hyperrep.store.ZooSubset;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/** The checkpoints of one split of a zoo as training samples: status ok only, keyed 0..n-1 in (model, epoch) order. */
public final class TrainingSamples {
    private TrainingSamples() {}

    /** A Spark array<float> value as a float[]. */
    public static float[] floats(List<Float> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) v[i] = values.get(i);
        return v;
    }

    public static List<TrainingSample> load(SparkSession spark, ZooStore zoo, String split) {
        return load(spark, zoo, split, new ZooSubset(0, 0, List.of()));
    }

    /** The samples of one split of a subset of the zoo. */
    public static List<TrainingSample> load(SparkSession spark, ZooStore zoo, String split, ZooSubset subset) {
        List<Row> rows = subset.apply(zoo.checkpoints(spark))
                .filter(col("split").equalTo(split).and(col("status").equalTo("ok")))
                .select("model_id", "epoch", "weights").orderBy("model_id", "epoch").collectAsList();
        List<TrainingSample> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new TrainingSample(out.size(), r.getString(0), r.getInt(1), floats(r.getList(2))));
        }
        return out;
    }
}
