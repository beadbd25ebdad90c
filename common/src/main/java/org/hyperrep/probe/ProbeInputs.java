package org.hyperrep.probe;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.ProbeConfig;
import org.hyperrep.features.BaselineFeatures;
import org.hyperrep.features.RawWeights;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import scala.collection.JavaConverters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

/**
 * What the probes read: one row per usable checkpoint of a zoo with the baseline feature columns, one vector column
 * per embedding and, on request, each embedding concatenated with s(W); and the list of feature sets over them, each
 * with every configured probe family so that lines are compared with lines and trees with trees.
 *
 * <p>Feature set names: {@code W}, {@code s(W)}, {@code stats} and each embedding's name (e.g. {@code E_cD}) for the
 * linear probes; the same with {@code +GBT} for the boosted trees (so the paper's Unterthiner baseline stays
 * {@code stats+GBT}); {@code E_cD⊕s(W)} for a concatenation.
 */
public final class ProbeInputs {
    /** Suffix of the linear family's names (none) and of the boosted trees'. */
    public static final String GBT_SUFFIX = "+GBT";
    /** Column-name suffix of an embedding concatenated with s(W). */
    static final String WITH_STATISTICS = "__sW";

    private ProbeInputs() { }

    /** One embedding feature set: its name in the table and where its Parquet rows (model_id, epoch, embedding) are. */
    public record Embedding(String name, String uri) {
        /** The vector column of this embedding in the probe rows. */
        public String column() { return embeddingColumn(name); }
    }

    /** The vector column of an embedding named {@code name}: {@code emb_} and the name in identifier characters. */
    public static String embeddingColumn(String name) {
        return "emb_" + name.replaceAll("[^A-Za-z0-9]", "_");
    }

    /** The column of an embedding column concatenated with s(W). */
    public static String withStatisticsColumn(String embeddingColumn) {
        return embeddingColumn + WITH_STATISTICS;
    }

    /** Whether a probe's feature column is an embedding concatenated with s(W) (predict rebuilds it). */
    public static boolean isWithStatistics(String column) {
        return column.startsWith("emb_") && column.endsWith(WITH_STATISTICS);
    }

    /**
     * The zoo's checkpoints with status ok, the columns W, sW and stats computed from the weights (which are
     * dropped), each embedding as the vector column {@link Embedding#column()} (its array as {@code column_array})
     * joined on (model_id, epoch); rows an embedding does not cover have null there.
     */
    public static Dataset<Row> checkpoints(SparkSession spark, String zoo, ZooManifest manifest, List<Embedding> embeddings)
            throws IOException {
        Dataset<Row> rows = new ZooStore(zoo).checkpoints(spark).filter(col("status").equalTo("ok"))
                .drop("zoo", "architecture", "dataset", "seed", "status");
        rows = BaselineFeatures.add(rows, "weights", manifest.layout()).drop("weights");
        for (Embedding e : embeddings) {
            String c = e.column();
            Dataset<Row> emb = spark.read().parquet(e.uri()).select(col("model_id"), col("epoch"),
                    col("embedding").as(c + "_array"));
            emb = new RawWeights().setInputCol(c + "_array").setOutputCol(c).transform(emb);
            rows = rows.join(emb, JavaConverters.asScalaBuffer(List.of("model_id", "epoch")).toSeq(), "left");
        }
        return rows;
    }

    /** {@code rows} with the column {@link #withStatisticsColumn} = [embedding, s(W)] (null where the embedding is). */
    public static Dataset<Row> withStatistics(Dataset<Row> rows, String embeddingColumn) {
        UserDefinedFunction concat = udf((UDF2<Vector, Vector, Vector>) ProbeInputs::concatenate, new VectorUDT());
        return rows.withColumn(withStatisticsColumn(embeddingColumn),
                concat.apply(col(embeddingColumn), col(BaselineFeatures.S_W)));
    }

    private static Vector concatenate(Vector a, Vector b) {
        if (a == null || b == null) return null;
        double[] out = new double[a.size() + b.size()];
        System.arraycopy(a.toArray(), 0, out, 0, a.size());
        System.arraycopy(b.toArray(), 0, out, a.size(), b.size());
        return Vectors.dense(out);
    }

    /**
     * The feature sets to probe: with {@code baselines} W, s(W) and the statistics; each embedding; with
     * {@code config.concatenateStatistics()} each embedding ⊕ s(W); every one with each family of
     * {@code config.families()}, linear first.
     */
    public static List<FeatureSet> featureSets(ProbeConfig config, boolean baselines, List<Embedding> embeddings) {
        record Base(String name, String column) { }
        List<Base> bases = new ArrayList<>();
        if (baselines) {
            bases.add(new Base("W", BaselineFeatures.W));
            bases.add(new Base("s(W)", BaselineFeatures.S_W));
            bases.add(new Base("stats", BaselineFeatures.STATS));
        }
        for (Embedding e : embeddings) bases.add(new Base(e.name(), e.column()));
        if (config.concatenateStatistics()) {
            for (Embedding e : embeddings) bases.add(new Base(e.name() + "⊕s(W)", withStatisticsColumn(e.column())));
        }
        List<FeatureSet> sets = new ArrayList<>();
        if (config.fits(ProbeConfig.LINEAR)) bases.forEach(b -> sets.add(FeatureSet.linear(b.name(), b.column())));
        if (config.fits(ProbeConfig.GBT)) bases.forEach(b -> sets.add(FeatureSet.gbt(b.name() + GBT_SUFFIX, b.column())));
        return sets;
    }
}
