package org.hyperrep.report;

import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.hyperrep.config.BadInputException;

import java.util.List;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;

/** A 2-D PCA of embeddings with Spark MLlib's {@link PCA}, for plotting. */
public final class EmbeddingPca {
    public static final String EMBEDDING = "embedding", TEST_ACCURACY = "test_accuracy", EPOCH = "epoch";

    private EmbeddingPca() {}

    /** {@link #project(String, Dataset, String, String, String)} with columns embedding, test_accuracy, epoch. */
    public static PcaProjection project(String name, Dataset<Row> embeddings) {
        return project(name, embeddings, EMBEDDING, TEST_ACCURACY, EPOCH);
    }

    /**
     * Fits a PCA on every row with a non-null embedding and projects the rows onto the first two components.
     * The embeddings Parquet has no test accuracy: join it with the zoo's checkpoints on (model_id, epoch) first.
     *
     * @param embeddingCol an array&lt;float&gt; or array&lt;double&gt; column, all rows of the same length
     * @param accuracyCol  a numeric column (the checkpoint's test accuracy)
     * @param epochCol     a numeric column (the checkpoint's epoch)
     */
    public static PcaProjection project(String name, Dataset<Row> embeddings, String embeddingCol,
                                        String accuracyCol, String epochCol) {
        for (String c : List.of(embeddingCol, accuracyCol, epochCol)) {
            if (!List.of(embeddings.columns()).contains(c)) {
                throw new BadInputException("cannot plot a PCA of " + name + ": no column '" + c + "' (columns: "
                        + String.join(", ", embeddings.columns()) + ")");
            }
        }
        String features = "pca_input", projected = "pca_projection";
        Dataset<Row> input = embeddings.filter(col(embeddingCol).isNotNull())
                .select(array_to_vector(col(embeddingCol).cast("array<double>")).as(features),
                        col(accuracyCol).cast("double").as(accuracyCol), col(epochCol).cast("double").as(epochCol))
                .cache();
        try {
            long n = input.count();
            if (n < 2) throw new BadInputException("cannot plot a PCA of " + name + ": " + n + " embeddings");
            int dim = ((Vector) input.first().get(0)).size();
            int k = Math.min(2, dim);
            PCAModel model = new PCA().setInputCol(features).setOutputCol(projected).setK(k).fit(input);
            double[] ratio = new double[2];
            System.arraycopy(model.explainedVariance().toArray(), 0, ratio, 0, k);
            List<Row> rows = model.transform(input).select(projected, accuracyCol, epochCol).collectAsList();
            int m = rows.size();
            double[] x = new double[m], y = new double[m], acc = new double[m], ep = new double[m];
            for (int i = 0; i < m; i++) {
                Row r = rows.get(i);
                double[] p = ((Vector) r.get(0)).toArray();
                x[i] = p[0];
                y[i] = k > 1 ? p[1] : 0;
                acc[i] = r.isNullAt(1) ? Double.NaN : r.getDouble(1);
                ep[i] = r.isNullAt(2) ? Double.NaN : r.getDouble(2);
            }
            // MLlib's PCAModel projects the uncentred vectors; centring only moves the axes' origin to the data.
            centre(x);
            centre(y);
            return new PcaProjection(name, x, y, acc, ep, ratio);
        } finally {
            input.unpersist();
        }
    }

    private static void centre(double[] v) {
        double mean = 0;
        for (double d : v) mean += d;
        mean /= v.length;
        for (int i = 0; i < v.length; i++) v[i] -= mean;
    }
}
