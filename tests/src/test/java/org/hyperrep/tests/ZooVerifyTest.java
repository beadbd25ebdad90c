package org.hyperrep.tests;

import org.hyperrep.store.ZooStore;
import org.hyperrep.store.ZooVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code zoo verify [--repair]} against real Spark and real damage: a batch overwritten with random bytes (its
 * {@code .crc} kept), one truncated without its {@code .crc}, one whose Parquet file is gone, one copied under a
 * second name. Commands reading the damaged zoo exit 2 with one line naming the file and the remedy; verify names
 * every bad batch and nothing else; repair moves them aside; the next build retrains exactly their models, and the
 * zoo ends as it was before the damage.
 */
class ZooVerifyTest {
    @TempDir
    Path tmp;

    @Test
    void verifyFindsEveryDamagedBatchAndRepairLetsTheNextBuildRetrainExactlyTheirModels() throws Exception {
        String zoo = tmp.resolve("zoo").toString();
        String[] build = {"zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", zoo,
                "--set", "zoo.factors.seeds=[1,2,3,4]", "--set", "zoo.build.models-per-commit=4"};
        Cli.ok(build);
        Map<String, List<Float>> before = lastWeights(zoo);
        assertEquals(16, before.size());
        List<String> batches = Zoos.batches(tmp.resolve("zoo"));
        assertEquals(4, batches.size());
        assertEquals(0, Cli.run("zoo", "verify", zoo).exitCode(), "a fresh zoo verifies clean");

        Path checkpoints = tmp.resolve("zoo").resolve("checkpoints");
        Path corrupt = parquet(checkpoints.resolve(batches.get(0)));
        Files.write(corrupt, randomBytes((int) Files.size(corrupt)));           // its .crc stays
        Path truncated = parquet(checkpoints.resolve(batches.get(1)));
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 1000));
        Files.delete(crc(truncated));
        Path missing = parquet(checkpoints.resolve(batches.get(2)));
        Files.delete(missing);
        Files.delete(crc(missing));
        String duplicate = "batch-99991231T000000Z-copy-00000";
        copyDir(checkpoints.resolve(batches.get(3)), checkpoints.resolve(duplicate));

        Cli.Run describe = Cli.run("zoo", "describe", zoo);
        assertEquals(2, describe.exitCode(), describe.err());
        String line = describe.err().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.contains("cannot read") && line.contains("/checkpoints/batch-") && line.contains(".parquet")
                && line.contains("zoo verify") && line.contains("--repair"), line);

        ZooVerifier.Report report = ZooVerifier.verify(Zoos.spark(), new ZooStore(zoo));
        Map<String, String> problems = report.batches().stream().collect(Collectors.toMap(
                ZooVerifier.BatchReport::batch, b -> String.join("; ", b.problems())));
        assertTrue(problems.get(batches.get(0)).contains("checksum mismatch"), problems.toString());
        assertTrue(problems.get(batches.get(0)).contains(corrupt.getFileName().toString()), problems.toString());
        assertTrue(problems.get(batches.get(1)).contains("truncated"), problems.toString());
        assertTrue(problems.get(batches.get(2)).contains("missing"), problems.toString());
        assertEquals("", problems.get(batches.get(3)), "the original of the copied batch is good");
        assertTrue(problems.get(duplicate).contains("duplicate") && problems.get(duplicate).contains(batches.get(3)),
                problems.toString());
        assertEquals(4, report.bad().size());
        assertEquals(1, Cli.run("zoo", "verify", zoo).exitCode(), "bad batches left in place");

        assertEquals(0, Cli.run("zoo", "verify", zoo, "--repair").exitCode());
        Path quarantine = tmp.resolve("zoo").resolve("quarantine");
        assertEquals(List.of(batches.get(0), batches.get(1), batches.get(2), duplicate), list(quarantine),
                "bad batches moved, not deleted");
        assertTrue(Files.exists(quarantine.resolve(batches.get(0)).resolve(corrupt.getFileName())));
        assertEquals(List.of(batches.get(3)), Zoos.batches(tmp.resolve("zoo")));
        assertEquals(4, new ZooStore(zoo).requireManifest().models(), "manifest counts what stays");

        Cli.ok(build);
        Map<String, Long> models = Zoos.assertCompleteModels(zoo, 4);
        assertEquals(before.keySet(), models.keySet(), "the same 16 models, each once");
        assertEquals(0, Cli.run("zoo", "verify", zoo).exitCode(), "the repaired zoo verifies clean");
        Map<String, List<Float>> after = lastWeights(zoo);
        before.forEach((id, w) -> assertEquals(w, after.get(id), "model " + id + " retrained to the same weights"));
    }

    private static Map<String, List<Float>> lastWeights(String zoo) {
        return Zoos.rows(zoo).filter(col("epoch").equalTo(3)).select("model_id", "weights").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.<Float>getList(1)));
    }

    private static Path parquet(Path batch) throws Exception {
        try (Stream<Path> s = Files.list(batch)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    private static Path crc(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".crc");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(1).nextBytes(b);
        return b;
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void copyDir(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
