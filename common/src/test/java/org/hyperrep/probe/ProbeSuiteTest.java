package org.hyperrep.probe;

import org.apache.spark.ml.linalg.SQLDataTypes;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite end to end on a synthetic zoo with known signal: test accuracy a linear function of the features
 * plus small noise, activation (3 classes) and init (2) separable in one feature each, generalization gap pure
 * noise, epoch, learning rate and optimizer held fixed.
 */
class ProbeSuiteTest {
    static SparkSession spark;
    static Dataset<Row> zoo;
    static ProbeSuite.ProbeRun run;
    static Path models;
    static final int MODELS = 150;
    static final int MAX_TRAIN_ROWS = 80;

    @TempDir
    static Path dir;

    private static final StructType SCHEMA = new StructType()
            .add("model_id", DataTypes.StringType, false).add("epoch", DataTypes.IntegerType, false)
            .add("split", DataTypes.StringType, false).add("status", DataTypes.StringType, false)
            .add("test_accuracy", DataTypes.DoubleType, false).add("generalization_gap", DataTypes.DoubleType, false)
            .add("learning_rate", DataTypes.DoubleType, false).add("activation", DataTypes.StringType, false)
            .add("init", DataTypes.StringType, false)
            .add("optimizer", DataTypes.StringType, false).add("f", SQLDataTypes.VectorType(), true);

    @BeforeAll
    static void fitOnce() {
        spark = LocalSpark.start("probe-suite-test");
        Random rnd = new Random(3);
        String[] activations = {"relu", "sigmoid", "tanh"};
        List<Row> rows = new ArrayList<>();
        for (int m = 0; m < MODELS; m++) {
            // split by model as a zoo records it: 70 / 15 / 15
            String split = m % 20 < 14 ? "train" : m % 20 < 17 ? "validation" : "test";
            int a = rnd.nextInt(3);
            double[] f = new double[5];
            for (int j = 0; j < f.length; j++) f[j] = rnd.nextGaussian();
            f[2] = 2.0 * (a - 1) + 0.3 * rnd.nextGaussian(); // activation: class centres −2, 0, 2 along f2
            String init = f[3] > 0 ? "normal" : "uniform";     // two classes: GBT without one-vs-rest
            f[3] += Math.signum(f[3]);
            double acc = 0.5 + 0.1 * f[0] - 0.05 * f[1] + 0.005 * rnd.nextGaussian();
            rows.add(RowFactory.create("m" + m, 5, split, "ok", acc, rnd.nextGaussian(), 1e-3, activations[a], init,
                    "adam", Vectors.dense(f)));
        }
        // a diverged model must not reach the probes: its NaN target would poison every fit
        rows.add(RowFactory.create("bad", 5, "train", "diverged", Double.NaN, Double.NaN, 1e-3, "relu", "normal",
                "adam", Vectors.dense(new double[5])));
        zoo = spark.createDataFrame(rows, SCHEMA).cache();
        ProbeConfig config = ProbeConfig.from(ConfigFiles.load(null, List.of(
                "probe.ridge-lambdas=[10, 1, 1e-2, 1e-4]", "probe.logistic-reg-params=[1e-1, 1e-3]",
                "probe.gbt.max-iter=5", "probe.gbt.max-depth=3", "probe.gbt.step-size=0.7",
                "probe.max-train-rows=" + MAX_TRAIN_ROWS)));
        models = dir.resolve("probes");
        run = new ProbeSuite(config).run(zoo, List.of(FeatureSet.linear("lin", "f"), FeatureSet.gbt("stats+GBT", "f")),
                models.toString());
    }

    @AfterAll
    static void stop() { spark.stop(); }

    private static ProbeResult result(String featureSet, String target) {
        return run.results().stream().filter(r -> r.featureSet().equals(featureSet) && r.target().equals(target))
                .findFirst().orElseThrow(() -> new AssertionError("no result for " + featureSet + "/" + target));
    }

    @Test
    void onlyTargetsThatVaryAreProbed() {
        // epoch, learning_rate and optimizer are constant; the other targets of the table are absent columns
        Set<String> probed = Set.copyOf(run.results().stream().map(ProbeResult::target).toList());
        assertEquals(Set.of("test_accuracy", "generalization_gap", "activation", "init"), probed);
        assertEquals(8, run.results().size(), "4 targets x 2 feature sets");
    }

    @Test
    void knownSignalIsFoundAndNoiseIsNot() {
        ProbeResult acc = result("lin", "test_accuracy");
        assertEquals("ridge", acc.model());
        assertEquals("regression", acc.kind());
        assertTrue(acc.testMetric() > 90, "R² % " + acc.testMetric());
        assertTrue(acc.kendallTau() > 0.8, "τ " + acc.kendallTau());
        assertNotNull(acc.chosenHyperparameter());
        ProbeResult gap = result("lin", "generalization_gap");
        assertTrue(gap.testMetric() < 25, "noise target R² % " + gap.testMetric());
        assertNull(gap.kendallTau(), "τ only for test accuracy");
        ProbeResult act = result("lin", "activation");
        assertEquals("softmax", act.model());
        assertEquals("classification", act.kind());
        assertTrue(act.testMetric() > 90, "accuracy % " + act.testMetric());

        ProbeResult gbtAcc = result("stats+GBT", "test_accuracy");
        assertEquals("gbt", gbtAcc.model());
        assertNull(gbtAcc.chosenHyperparameter());
        assertTrue(gbtAcc.testMetric() > 50, "GBT R² % " + gbtAcc.testMetric());
        // three classes: one-vs-rest over binary GBTs
        assertTrue(result("stats+GBT", "activation").testMetric() > 90);
        // two classes: a single binary GBT
        assertTrue(result("stats+GBT", "init").testMetric() > 90);
        assertTrue(result("lin", "init").testMetric() > 90);
    }

    @Test
    void rowCountsFollowTheSplitsAndTheSubsample() {
        long test = zoo.filter(col("split").equalTo("test")).count();
        for (ProbeResult r : run.results()) {
            assertEquals(MAX_TRAIN_ROWS, r.trainRows(), "max-train-rows caps the 105 train rows");
            assertEquals(test, r.testRows());
        }
    }

    @Test
    void predictionsHoldEveryTestRowOfEveryProbe() {
        Dataset<Row> p = run.predictions();
        assertEquals(ProbeSuite.PREDICTIONS_SCHEMA, p.schema());
        long test = zoo.filter(col("split").equalTo("test")).count();
        assertEquals(run.results().size() * test, p.count());
        Map<String, String> activation = new HashMap<>();
        for (Row r : zoo.select("model_id", "activation").collectAsList()) activation.put(r.getString(0), r.getString(1));
        for (Row r : p.filter(col("target").equalTo("activation")).collectAsList()) {
            assertEquals(activation.get(r.<String>getAs("model_id")), r.getAs("true_label"));
            assertTrue(Set.of("relu", "sigmoid", "tanh").contains(r.<String>getAs("predicted_label")));
        }
        assertEquals(0, p.filter(col("target").equalTo("test_accuracy").and(col("predicted_label").isNotNull())).count());
    }

    @Test
    void savedProbesReproduceTheirTestPredictions() {
        List<TrainedProbe> loaded = TrainedProbe.loadAll(models.toString());
        assertEquals(run.results().size(), loaded.size());
        assertTrue(Files.isDirectory(models.resolve("stats+GBT").resolve("activation").resolve(TrainedProbe.MODEL)));
        Dataset<Row> test = zoo.filter(col("split").equalTo("test"));
        for (String target : List.of("test_accuracy", "activation")) {
            TrainedProbe probe = loaded.stream().filter(t -> t.featureSet().equals("lin") && t.target().equals(target))
                    .findFirst().orElseThrow();
            assertEquals("f", probe.featureColumn());
            Map<String, Double> expected = new HashMap<>();
            for (Row r : run.predictions().filter(col("feature_set").equalTo("lin").and(col("target").equalTo(target)))
                    .collectAsList()) {
                expected.put(r.getAs("model_id"), r.getAs("predicted"));
            }
            List<Row> again = probe.predict(test).select("model_id", "prediction").collectAsList();
            assertEquals(expected.size(), again.size());
            for (Row r : again) assertEquals(expected.get(r.getString(0)), r.getDouble(1), 1e-9, target);
        }
    }

    @Test
    void regressionProbesCarryASplitConformalIntervalAndItsTestCoverage() {
        for (TrainedProbe probe : TrainedProbe.loadAll(models.toString())) {
            if (probe.kind() == ProbeTarget.Kind.CLASSIFICATION) {
                assertNull(probe.interval(), probe.featureSet() + "/" + probe.target());
                continue;
            }
            ConformalInterval interval = probe.interval();
            assertEquals(0.9, interval.level(), 0);
            assertEquals(zoo.filter(col("split").equalTo("validation")).count(), interval.calibrationRows());
            // the recorded coverage is the share of the saved test predictions inside ±half width
            List<Row> rows = run.predictions().filter(col("feature_set").equalTo(probe.featureSet())
                    .and(col("target").equalTo(probe.target()))).select("true", "predicted").collectAsList();
            double[] truth = rows.stream().mapToDouble(r -> r.getDouble(0)).toArray();
            double[] predicted = rows.stream().mapToDouble(r -> r.getDouble(1)).toArray();
            assertEquals(interval.coverage(truth, predicted), probe.testCoverage(), 1e-12);
            assertTrue(probe.testCoverage() > 0.5, probe.featureSet() + "/" + probe.target() + ": " + probe.testCoverage());
        }
    }

    @Test
    void resultsWriteAsParquetAndCsv() throws Exception {
        String parquet = dir.resolve("results").toString();
        ProbeResults.writeParquet(spark, run.results(), parquet);
        Dataset<Row> back = spark.read().parquet(parquet);
        assertEquals(run.results().size(), back.count());
        assertEquals(1, back.filter(col("kendall_tau").isNotNull().and(col("feature_set").equalTo("lin"))).count());
        Path csv = dir.resolve("results.csv");
        ProbeResults.writeCsv(run.results(), csv.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", ProbeResults.SCHEMA.fieldNames()), lines.get(0));
        assertEquals(run.results().size() + 1, lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("activation,classification,stats+GBT,gbt,")), lines.toString());
    }

    @Test
    void badInputIsRefusedNamingTheColumn() {
        ProbeSuite suite = new ProbeSuite(ProbeConfig.from(ConfigFiles.load(null, List.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> suite.run(zoo, List.of(FeatureSet.linear("E", "embedding")), null));
        assertTrue(e.getMessage().contains("'embedding'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> suite.run(zoo, List.of(FeatureSet.linear("acc", "test_accuracy")), null));
        assertTrue(e.getMessage().contains("'test_accuracy' must be a vector"), e.getMessage());
    }
}
