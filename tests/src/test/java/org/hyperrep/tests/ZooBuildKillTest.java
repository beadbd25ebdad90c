package org.hyperrep.tests;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A zoo build killed with SIGKILL and rerun ends with exactly the planned rows: none lost, none duplicated, and
 * what a reader saw in between was complete models only. The build runs in a separate JVM so that the kill is real.
 */
class ZooBuildKillTest {
    @TempDir
    Path tmp;

    private static final int MODELS = 12;
    private static final int CHECKPOINTS = 4;

    @Test
    void killedBuildsResumeToExactlyThePlannedRows() throws Exception {
        Path zooDir = tmp.resolve("zoo");
        String zoo = zooDir.toString();
        String[] build = {"zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", zoo,
                "--set", "zoo.factors.seeds=[1,2,3]", "--set", "zoo.build.models-per-commit=2", "--master", "local[2]"};
        File log = tmp.resolve("build.log").toFile();

        // Kill 1: as soon as the first batch is committed (later batches are in training or being written).
        Process p = Cli.start(log, build);
        waitFor(p, () -> batchCount(zooDir) >= 1);
        Cli.killHard(p);
        Map<String, Long> seen = Zoos.assertCompleteModels(zoo, CHECKPOINTS);
        assertTrue(seen.size() >= 2 && seen.size() < MODELS, "models after kill 1: " + seen.size());
        Map<String, List<Float>> committedBefore = finalWeights(zoo);

        // Kill 2: while a batch sits in staging, written but not committed.
        p = Cli.start(log, build);
        waitFor(p, () -> hasStagedFiles(zooDir));
        Cli.killHard(p);
        Map<String, Long> seen2 = Zoos.assertCompleteModels(zoo, CHECKPOINTS);
        assertTrue(seen2.keySet().containsAll(seen.keySet()), "nothing committed is lost");

        // The rerun completes the plan.
        Cli.ok(build);
        Map<String, Long> all = Zoos.assertCompleteModels(zoo, CHECKPOINTS);
        assertEquals(MODELS, all.size());
        assertEquals((long) MODELS * CHECKPOINTS, Zoos.rows(zoo).count());
        Map<String, List<Float>> committedAfter = finalWeights(zoo);
        committedBefore.forEach((id, w) -> assertEquals(w, committedAfter.get(id), "model " + id + " untouched"));
        assertTrue(!Files.exists(zooDir.resolve("_staging")) || Files.list(zooDir.resolve("_staging")).findAny().isEmpty(),
                "staging left empty");

        // And one more rerun is a no-op.
        List<String> batches = Zoos.batches(zooDir);
        Cli.ok(build);
        assertEquals(batches, Zoos.batches(zooDir));
    }

    private static void waitFor(Process p, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) throw new AssertionError("build ended (exit " + p.exitValue() + ") before the kill point");
            if (System.nanoTime() > deadline) throw new AssertionError("kill point not reached in 180 s");
            Thread.sleep(20);
        }
    }

    private static int batchCount(Path zoo) {
        try {
            return Zoos.batches(zoo).size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static boolean hasStagedFiles(Path zoo) {
        Path staging = zoo.resolve("_staging");
        if (!Files.isDirectory(staging)) return false;
        try (var s = Files.walk(staging)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, List<Float>> finalWeights(String zoo) {
        return Zoos.rows(zoo).filter(col("epoch").equalTo(3)).select("model_id", "weights").collectAsList().stream()
                .collect(Collectors.toMap((Row r) -> r.getString(0), r -> r.<Float>getList(1)));
    }
}
