package org.hyperrep.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hyperrep on a real Spark standalone cluster: a Master and two Workers (1 core, 2 GB each) as separate JVMs on
 * 127.0.0.1, the pipeline submitted with deploy/submit-standalone.sh and the application jar from dist/.
 * Logs of every daemon, executor and submission: tests/target/cluster-logs/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    @TempDir
    static Path tmp;
    static Path logs;
    static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        logs = Path.of(System.getProperty("hyperrep.cluster.logs", "target/cluster-logs"));
        deleteRecursively(logs);
        cluster = StandaloneCluster.start(tmp, logs, 2, 1, "2g");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    /**
     * zoo build → train (parameter averaging over both executors) → embed → probe, each stage one spark-submit and
     * its checks. The zoo is tiny (24 models; the test split is a model or two), so the probe figures mean nothing
     * here and the probe grids are cut to a few values: what the stage shows is that the MLlib probes run on the
     * cluster and every table and report gets written. Probe quality is PipelineEndToEndTest's business.
     */
    @Test
    @Order(1)
    void pipelineRunsOnTheClusterAndTrainingUsesBothExecutors() throws Exception {
        String zoo = tmp.resolve("zoo").toString();
        String encoder = tmp.resolve("encoder").toString();
        String embeddings = tmp.resolve("embeddings").toString();
        Path probe = tmp.resolve("probe");

        submit("zoo-build", Map.of(), "zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", zoo,
                "--set", "zoo.factors.seeds={from=1,to=6}", "--set", "zoo.build.models-per-commit=12");
        Zoos.assertCompleteModels(zoo, 4);
        assertEquals(24L * 4, Zoos.rows(zoo).count(), "24 models x 4 checkpoints");

        // One task per executor: each executor is one parameter-averaging worker.
        Path trainEvents = submit("train", Map.of(), "train", "--zoo", zoo, "--config",
                root() + "/conf/encoders/tetris-small.conf", "--out", encoder, "--engine", "spark",
                "--set", "encoder.training.epochs=2", "--set", "encoder.training.batch-size=8");
        JsonNode history = new ObjectMapper().readTree(Path.of(encoder, "encoder.json").toFile()).get("history");
        assertEquals(2, history.size(), "two epochs recorded");
        assertTrue(Double.isFinite(history.get(1).get("train").get("total").asDouble()), "finite loss");
        Map<String, Set<String>> executorsByStage = executorsPerStage(trainEvents);
        Set<String> averaging = new HashSet<>();
        executorsByStage.forEach((stage, execs) -> {
            if (stage.contains("ParameterAveraging") || stage.contains("SparkComputationGraph")) averaging.addAll(execs);
        });
        assertEquals(Set.of("0", "1"), averaging, "parameter-averaging tasks ran on both executors; stages: "
                + executorsByStage);

        submit("embed", Map.of(), "embed", "--zoo", zoo, "--encoder", encoder, "--out", embeddings);
        Dataset<Row> e = Zoos.spark().read().parquet(embeddings);
        assertEquals(List.of("model_id", "epoch", "split", "embedding"), List.of(e.schema().fieldNames()));
        assertEquals(Zoos.rows(zoo).filter(col("status").equalTo("ok")).count(), e.count(), "one row per checkpoint");
        assertEquals(e.count(), e.select("model_id", "epoch").distinct().count(), "no duplicate embeddings");
        assertEquals(16, e.first().getList(3).size(), "latent width of tetris-small");
        assertTrue(Files.exists(Path.of(embeddings, "_provenance.json")));

        // MLlib probes fitted by the executors: every feature set × every target that varies in the zoo
        submit("probe", Map.of(), "probe", "--zoo", zoo, "--embeddings", embeddings + "=E_cD", "--out", probe.toString(),
                // two λ so that one is still chosen on validation; each extra value is ~10 more Spark jobs
                "--set", "probe.ridge-lambdas=[1,1e-2]", "--set", "probe.logistic-reg-params=[1e-2]",
                "--set", "probe.gbt.max-iter=5", "--set", "probe.families=[linear]",
                "--set", "probe.concatenate-statistics=false");
        Dataset<Row> results = Zoos.spark().read().parquet(probe.resolve("probe-results").toString());
        assertEquals(Set.of("W", "s(W)", "stats", "E_cD"), distinct(results, "feature_set"));
        // tetris-tiny varies activation and optimizer; epoch, accuracy and gap vary by training
        assertEquals(Set.of("epoch", "test_accuracy", "generalization_gap", "activation", "optimizer"),
                distinct(results, "target"));
        assertEquals(4 * 5, results.count(), "one row per feature set x target");
        for (Row r : results.collectAsList()) {
            double m = r.getAs("test_metric");
            assertTrue(Double.isFinite(m), "finite test metric " + r);
            if (r.<String>getAs("kind").equals("classification")) assertTrue(m >= 0 && m <= 100, "accuracy in % " + r);
        }
        long testRows = Zoos.rows(zoo).filter(col("split").equalTo("test").and(col("status").equalTo("ok"))).count();
        assertEquals(testRows * 4 * 5, Zoos.spark().read().parquet(probe.resolve("predictions").toString()).count(),
                "one prediction per test checkpoint, feature set and target");
        String md = Files.readString(probe.resolve("report.md"));
        for (String s : List.of("W", "s(W)", "stats", "E_cD", "activation", "Kendall")) {
            assertTrue(md.contains(s), "report.md shows " + s + ":\n" + md);
        }
        String html = Files.readString(probe.resolve("report.html"));
        assertTrue(html.contains("E_cD") && html.contains("data:image/png;base64,"), "report.html with its plots inline");
        assertTrue(Files.exists(probe.resolve("_provenance.json")));
    }

    /**
     * A Worker (and its executor) killed with SIGKILL while it trains zoo models: the application goes on with the
     * other executor and the zoo ends with every planned model exactly once.
     */
    @Test
    @Order(2)
    void aZooBuildSurvivesTheLossOfAWorker() throws Exception {
        Path zooDir = tmp.resolve("zoo-kill");
        String zoo = zooDir.toString();
        Path events = Files.createDirectories(logs.resolve("events-zoo-kill"));
        Path log = logs.resolve("submit-zoo-kill.log");
        int models = 12;
        Process build = cluster.submit(log, Map.of("EVENT_LOG_DIR", events.toUri().toString()),
                "zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", zoo,
                "--set", "zoo.factors.seeds=[1,2,3]", "--set", "zoo.build.models-per-commit=2");
        // The kill point: a batch is committed (the build is under way) and worker 2's executor is inside a task.
        waitFor(build, log, () -> batchCount(zooDir) >= 1 && runningTask(2));
        int committedAtKill = batchCount(zooDir);
        cluster.killWorker(2);
        assertTrue(committedAtKill < models / 2, "killed before the last batch: " + committedAtKill);

        assertTrue(build.waitFor(900, TimeUnit.SECONDS), "build did not finish");
        assertEquals(0, build.exitValue(), "build exit code; see " + log);
        Map<String, Long> perModel = Zoos.assertCompleteModels(zoo, 4);
        assertEquals(models, perModel.size(), "every planned model");
        assertEquals(models * 4L, Zoos.rows(zoo).count(), "planned rows, none twice");
        String eventLog = readEventLogs(events);
        assertTrue(eventLog.contains("\"Event\":\"SparkListenerExecutorRemoved\""), "the application lost an executor");
        System.out.println("worker kill: tasks lost with the executor: "
                + eventLog.split("ExecutorLostFailure", -1).length / 2 + " (0 means it died between tasks)");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** Runs one stage with its own log and event log; fails with the log's tail when spark-submit fails. */
    private static Path submit(String stage, Map<String, String> env, String... args) throws Exception {
        Path events = Files.createDirectories(logs.resolve("events-" + stage));
        Path log = logs.resolve("submit-" + stage + ".log");
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("EVENT_LOG_DIR", events.toUri().toString());
        long start = System.nanoTime();
        Process p = cluster.submit(log, e, args);
        if (!p.waitFor(900, TimeUnit.SECONDS)) throw new AssertionError(stage + " did not finish in 900 s");
        System.out.printf("cluster %s: %.0f s%n", stage, (System.nanoTime() - start) / 1e9);
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new AssertionError(stage + " failed (exit " + p.exitValue() + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        return events;
    }

    private static Set<String> distinct(Dataset<Row> d, String column) {
        Set<String> out = new HashSet<>();
        d.select(column).distinct().collectAsList().forEach(r -> out.add(r.getString(0)));
        return out;
    }

    /** Stage name → executor ids of its finished tasks, from Spark's event log. */
    private static Map<String, Set<String>> executorsPerStage(Path events) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<Integer, String> stageNames = new HashMap<>();
        List<JsonNode> taskEnds = new ArrayList<>();
        for (String line : readEventLogs(events).split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n = json.readTree(line);
            switch (n.path("Event").asText()) {
                case "SparkListenerStageSubmitted" -> stageNames.put(n.at("/Stage Info/Stage ID").asInt(),
                        n.at("/Stage Info/Stage Name").asText());
                case "SparkListenerTaskEnd" -> taskEnds.add(n);
                default -> { }
            }
        }
        Map<String, Set<String>> out = new HashMap<>();
        for (JsonNode t : taskEnds) {
            String stage = stageNames.getOrDefault(t.path("Stage ID").asInt(), "?");
            out.computeIfAbsent(stage, k -> new HashSet<>()).add(t.at("/Task Info/Executor ID").asText());
        }
        return out;
    }

    private static String readEventLogs(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) sb.append(Files.readString(f)).append('\n');
        }
        return sb.toString();
    }

    /** Whether an executor of worker {@code i} has started a task it has not finished. */
    private static boolean runningTask(int i) {
        try {
            for (Path f : cluster.executorLogs(i)) {
                String s = Files.readString(f);
                if (count(s, "Executor: Running task") > count(s, "Executor: Finished task")) return true;
            }
        } catch (IOException ignored) {
            // a log being created
        }
        return false;
    }

    private static int count(String s, String what) {
        return s.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static int batchCount(Path zoo) {
        try {
            return Zoos.batches(zoo).size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void waitFor(Process p, Path log, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) throw new AssertionError("build ended (exit " + p.exitValue() + ") before the kill point; see " + log);
            if (System.nanoTime() > deadline) throw new AssertionError("kill point not reached in 600 s; see " + log);
            Thread.sleep(100);
        }
    }

    private static String root() {
        return Path.of(System.getProperty("hyperrep.root", "..")).toAbsolutePath().normalize().toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
