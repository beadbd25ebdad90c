package org.hyperrep.report;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic inputs for the report tests. */
final class Synthetic {
    private Synthetic() {}

    /**
     * Two clusters of {@code perCluster} embeddings at ±{@code spread}·d along one unit direction d, with isotropic
     * noise σ = {@code noise}: nearly all variance lies along d. Cluster A has test accuracy in [0.2, 0.3), cluster
     * B in [0.7, 0.8); epochs cycle 0..9. Columns: model_id, epoch, embedding (array&lt;float&gt;), test_accuracy.
     */
    static Dataset<Row> twoClusters(SparkSession spark, int dim, int perCluster, double spread, double noise,
                                    long seed) {
        Random rnd = new Random(seed);
        double[] d = direction(dim, seed);
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            double sign = c == 0 ? -1 : 1;
            for (int i = 0; i < perCluster; i++) {
                List<Float> e = new ArrayList<>(dim);
                for (int j = 0; j < dim; j++) e.add((float) (sign * spread * d[j] + noise * rnd.nextGaussian()));
                double acc = (c == 0 ? 0.2 : 0.7) + 0.1 * rnd.nextDouble();
                rows.add(RowFactory.create("m" + c + "-" + i, i % 10, e, acc));
            }
        }
        StructType schema = new StructType()
                .add("model_id", DataTypes.StringType, false)
                .add("epoch", DataTypes.IntegerType, false)
                .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("test_accuracy", DataTypes.DoubleType, false);
        return spark.createDataFrame(rows, schema);
    }

    /** A fixed random unit vector. */
    static double[] direction(int dim, long seed) {
        Random rnd = new Random(seed * 31 + 7);
        double[] d = new double[dim];
        double norm = 0;
        for (int j = 0; j < dim; j++) {
            d[j] = rnd.nextGaussian();
            norm += d[j] * d[j];
        }
        for (int j = 0; j < dim; j++) d[j] /= Math.sqrt(norm);
        return d;
    }

    /**
     * Per-sample predictions in the probe's layout (model_id, epoch, target, feature_set, true, predicted) for
     * test_accuracy and one other target: "good" predicts with small noise, "poor" with large noise.
     */
    static Dataset<Row> predictions(SparkSession spark, int n, long seed) {
        Random rnd = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double acc = 0.1 + 0.8 * rnd.nextDouble();
            String id = String.format("m%03d", i);
            rows.add(RowFactory.create(id, 3, "test_accuracy", "good", acc, (float) (acc + 0.02 * rnd.nextGaussian())));
            rows.add(RowFactory.create(id, 3, "test_accuracy", "poor", acc, (float) (acc + 0.2 * rnd.nextGaussian())));
            rows.add(RowFactory.create(id, 3, "epoch", "good", 3.0, (float) 2.5));
        }
        StructType schema = new StructType()
                .add("model_id", DataTypes.StringType)
                .add("epoch", DataTypes.IntegerType)
                .add("target", DataTypes.StringType)
                .add("feature_set", DataTypes.StringType)
                .add("true", DataTypes.DoubleType)
                .add("predicted", DataTypes.FloatType);
        return spark.createDataFrame(rows, schema);
    }
}
