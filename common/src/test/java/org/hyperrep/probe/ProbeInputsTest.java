package org.hyperrep.probe;

import com.typesafe.config.ConfigFactory;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hyperrep.LocalSpark;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.config.ProbeConfig;
import org.hyperrep.store.ZooSubset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feature sets like for like, an embedding concatenated with s(W), and nested zoo subsets. */
class ProbeInputsTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = LocalSpark.start("probe-inputs-test"); }

    @AfterAll
    static void stop() { spark.stop(); }

    private static ProbeConfig config(String families, boolean concatenate) {
        return ProbeConfig.from(ConfigFactory.parseString("probe.families = " + families
                + "\nprobe.concatenate-statistics = " + concatenate).withFallback(ConfigFiles.defaults()));
    }

    @Test
    void everyFeatureSetGetsEveryFamily() {
        List<ProbeInputs.Embedding> embs = List.of(new ProbeInputs.Embedding("E_cD", "/nowhere"));
        List<FeatureSet> sets = ProbeInputs.featureSets(config("[linear, gbt]", true), true, embs);
        assertEquals(List.of("W", "s(W)", "stats", "E_cD", "E_cD⊕s(W)",
                "W+GBT", "s(W)+GBT", "stats+GBT", "E_cD+GBT", "E_cD⊕s(W)+GBT"), sets.stream().map(FeatureSet::name).toList());
        assertEquals(FeatureSet.Family.GBT, sets.get(7).family());
        assertEquals("stats", sets.get(7).column());
        assertEquals("emb_E_cD__sW", sets.get(4).column());
        assertEquals(List.of("E_cD"), ProbeInputs.featureSets(config("[linear]", false), false, embs)
                .stream().map(FeatureSet::name).toList());
    }

    @Test
    void concatenationIsTheEmbeddingThenSW() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("emb_E", new VectorUDT(), true).add("sW", new VectorUDT(), false);
        Dataset<Row> rows = spark.createDataFrame(List.of(
                RowFactory.create(1, Vectors.dense(1, 2), Vectors.dense(3, 4, 5)),
                RowFactory.create(2, null, Vectors.dense(6, 7, 8))), schema);
        List<Row> out = ProbeInputs.withStatistics(rows, "emb_E").orderBy("id").select("emb_E__sW").collectAsList();
        assertArrayEquals(new double[]{1, 2, 3, 4, 5}, ((Vector) out.get(0).get(0)).toArray());
        assertNull(out.get(1).get(0), "no embedding, no concatenation");
        assertTrue(ProbeInputs.isWithStatistics("emb_E__sW"));
    }

    @Test
    void subsetsAreNestedAndKeepEveryTestModel() {
        StructType schema = new StructType().add("model_id", DataTypes.StringType).add("epoch", DataTypes.IntegerType)
                .add("split", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int m = 0; m < 60; m++) {
            String split = m % 5 == 0 ? "test" : m % 5 == 1 ? "validation" : "train";
            for (int e : new int[]{1, 5, 10}) rows.add(RowFactory.create("m" + m, e, split));
        }
        Dataset<Row> zoo = spark.createDataFrame(rows, schema);
        Set<String> small = models(new ZooSubset(10, 1, List.of()).apply(zoo), false);
        Set<String> large = models(new ZooSubset(30, 1, List.of()).apply(zoo), false);
        assertEquals(10, small.size());
        assertEquals(30, large.size());
        assertTrue(large.containsAll(small), "the smaller subset is inside the larger");
        assertEquals(12, models(new ZooSubset(10, 1, List.of()).apply(zoo), true).size(), "every test model");
        Set<String> otherSeed = models(new ZooSubset(10, 2, List.of()).apply(zoo), false);
        assertTrue(!otherSeed.equals(small), "the seed chooses the order");
        Dataset<Row> epochs = new ZooSubset(10, 1, List.of(5, 10)).apply(zoo);
        assertEquals(2 * (10 + 12), epochs.count());
        assertThrows(RuntimeException.class, () -> new ZooSubset(49, 1, List.of()).apply(zoo), "only 48 fitting models");
    }

    private static Set<String> models(Dataset<Row> rows, boolean test) {
        Set<String> out = new HashSet<>();
        for (Row r : rows.filter(test ? col("split").equalTo("test") : col("split").notEqual("test"))
                .select("model_id").distinct().collectAsList()) {
            out.add(r.getString(0));
        }
        return out;
    }
}
