package org.hyperrep.tests;

import org.apache.spark.sql.Row;
import org.hyperrep.store.Json;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Tetris zoo built on real Spark (local mode): contents, rerun, growth, divergence, other readers. */
class ZooBuildEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void buildRerunAndGrow() throws Exception {
        String zoo = tmp.resolve("zoo").toString();
        String conf = Zoos.config("tetris-tiny.conf");
        Cli.ok("zoo", "build", "--config", conf, "--out", zoo);

        // 8 models × checkpoints at epochs 0..3
        Map<String, Long> models = Zoos.assertCompleteModels(zoo, 4);
        assertEquals(8, models.size());
        ZooManifest m = new ZooStore(zoo).requireManifest();
        assertEquals(100, m.layout().size());
        assertEquals(8, m.models());
        assertEquals(32, m.checkpoints());
        assertEquals(1, m.builds().size());
        assertTrue(Files.exists(tmp.resolve("zoo").resolve(m.builds().get(0).provenance())), "provenance written");
        Map<?, ?> prov = Json.MAPPER.readValue(tmp.resolve("zoo").resolve(m.builds().get(0).provenance()).toFile(), Map.class);
        assertTrue(prov.containsKey("config") && prov.containsKey("code_version") && prov.containsKey("platform"));
        assertEquals(8, ((Map<?, ?>) prov.get("counts")).get("models_trained"));

        // Trained models learn: mean test accuracy rises clearly above its value at initialization.
        double acc0 = meanTestAccuracy(zoo, 0);
        double acc3 = meanTestAccuracy(zoo, 3);
        assertTrue(acc3 > acc0 + 0.1 && acc3 > 0.4, "mean test accuracy at epoch 0: " + acc0 + ", epoch 3: " + acc3);
        Row init = Zoos.rows(zoo).filter(col("epoch").equalTo(0)).first();
        assertEquals("ok", init.getAs("status"));
        assertEquals(100, init.getList(init.fieldIndex("weights")).size());

        // The split is per model: no model has checkpoints in two splits.
        assertEquals(8, Zoos.rows(zoo).select("model_id", "split").distinct().count());

        // Rerun: nothing trained, nothing added.
        List<String> batches = Zoos.batches(tmp.resolve("zoo"));
        Cli.ok("zoo", "build", "--config", conf, "--out", zoo);
        assertEquals(batches, Zoos.batches(tmp.resolve("zoo")), "a rerun commits no batch");
        assertEquals(8, Zoos.assertCompleteModels(zoo, 4).size());
        assertEquals(0, new ZooStore(zoo).requireManifest().builds().get(1).modelsTrained());

        // A larger plan trains only the new models and leaves the old rows as they were.
        Map<String, List<Float>> before = firstWeights(zoo);
        Cli.ok("zoo", "build", "--config", conf, "--out", zoo, "--set", "zoo.factors.seeds=[1,2,3]");
        Map<String, Long> grown = Zoos.assertCompleteModels(zoo, 4);
        assertEquals(12, grown.size());
        assertTrue(grown.keySet().containsAll(models.keySet()));
        assertEquals(4, new ZooStore(zoo).requireManifest().builds().get(2).modelsTrained());
        Map<String, List<Float>> after = firstWeights(zoo);
        before.forEach((id, w) -> assertEquals(w, after.get(id), "weights of " + id + " unchanged"));
        assertEquals(List.of(1L, 2L, 3L), new ZooStore(zoo).requireManifest().factorValues().get("seed")
                .stream().map(o -> ((Number) o).longValue()).toList());

        // Another reader (DuckDB) opens the Parquet files: weights are a list of 100 floats.
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), min(len(weights)), max(len(weights)), "
                     + "typeof(any_value(weights)) FROM read_parquet('" + zoo + "/checkpoints/*/*.parquet')")) {
            r.next();
            assertEquals(48, r.getLong(1));
            assertEquals(100, r.getInt(2));
            assertEquals(100, r.getInt(3));
            assertEquals("FLOAT[]", r.getString(4));
        }
    }

    @Test
    void divergedModelsAreKeptWithTheirStatus() throws Exception {
        String zoo = tmp.resolve("diverged").toString();
        Cli.ok("zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", zoo,
                "--set", "zoo.factors.learning-rate=[1e12]", "--set", "zoo.factors.optimizer=[sgd]",
                "--set", "zoo.factors.activation=[relu]", "--set", "zoo.factors.init=[kaiming_normal]");
        Map<String, Long> models = Zoos.assertCompleteModels(zoo, 4);
        assertEquals(2, models.size());
        Map<String, Long> status = Zoos.rows(zoo).filter(col("epoch").gt(0)).groupBy("status").count().collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
        assertTrue(status.getOrDefault("diverged", 0L) > 0, "statuses: " + status);
        assertEquals("ok", Zoos.rows(zoo).filter(col("epoch").equalTo(0)).first().getAs("status"));
    }

    private static double meanTestAccuracy(String zoo, int epoch) {
        return Zoos.rows(zoo).filter(col("epoch").equalTo(epoch))
                .agg(org.apache.spark.sql.functions.avg("test_accuracy")).first().getDouble(0);
    }

    private static Map<String, List<Float>> firstWeights(String zoo) {
        return Zoos.rows(zoo).filter(col("epoch").equalTo(3)).select("model_id", "weights").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.<Float>getList(1)));
    }
}
