package org.hyperrep.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.hyperrep.store.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Representation learning on a real Tetris zoo: training lowers the loss and reconstructs held-out models, Spark
 * parameter averaging reaches a loss comparable to one JVM, a killed run resumes, and embed writes one embedding
 * per checkpoint.
 */
class TrainEmbedEndToEndTest {
    @TempDir
    static Path tmp;
    static String zoo;
    static final String[] SMALL = {"--set", "encoder.training.epochs=12", "--set", "encoder.training.batch-size=16",
            "--set", "encoder.training.learning-rate=3e-3"};
    /** Reconstruction only (E_D): its held-out R² is what the first test follows. */
    static final String[] RECONSTRUCTION = {"--set", "encoder.gamma=0"};

    @BeforeAll
    static void buildZoo() {
        zoo = tmp.resolve("zoo").toString();
        Cli.ok("zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", zoo,
                "--set", "zoo.factors.seeds={from=1,to=10}", "--set", "zoo.build.models-per-commit=40");
    }

    private static String[] train(String out, String engine, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--zoo", zoo, "--config",
                root() + "/conf/encoders/tetris-small.conf", "--out", out, "--engine", engine, "--master", "local[2]"));
        a.addAll(List.of(SMALL));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static String root() { return System.getProperty("hyperrep.root", ".."); }

    private static JsonNode history(String encoder) throws Exception {
        return Json.MAPPER.readTree(new File(encoder, "encoder.json")).get("history");
    }

    @Test
    void trainingLowersTheLossAndSparkMatchesOneJvm() throws Exception {
        String local = tmp.resolve("enc-local").toString();
        String spark = tmp.resolve("enc-spark").toString();
        Cli.ok(train(local, "local", RECONSTRUCTION));
        Cli.ok(train(spark, "spark", RECONSTRUCTION));
        JsonNode hl = history(local);
        JsonNode hs = history(spark);
        assertEquals(12, hl.size());
        assertEquals(12, hs.size());
        double first = hl.get(0).get("train").get("total").asDouble();
        double last = hl.get(11).get("train").get("total").asDouble();
        double r2 = hl.get(11).get("validation").get("reconstruction_r2").asDouble();
        double sparkLast = hs.get(11).get("train").get("total").asDouble();
        System.out.printf("local: train loss %.4f -> %.4f, validation R² %.3f; spark local[2]: %.4f -> %.4f, R² %.3f%n",
                first, last, r2, hs.get(0).get("train").get("total").asDouble(), sparkLast,
                hs.get(11).get("validation").get("reconstruction_r2").asDouble());
        assertTrue(last < 0.8 * first, "loss falls: " + first + " -> " + last);
        // the attention encoder reconstructs held-out models better than their mean (about +0.2 after 12 epochs)
        assertTrue(r2 > 0, "held-out reconstruction R² " + r2);
        // Parameter averaging over 2 workers makes about half as many effective updates per epoch, and the model
        // starts near the mean (new blocks are the identity): seen 0.1107 -> 0.0954, held-out R² 0.071 (local:
        // 0.1081 -> 0.0707, R² 0.274).
        double sparkR2 = hs.get(11).get("validation").get("reconstruction_r2").asDouble();
        assertTrue(sparkLast < 0.95 * hs.get(0).get("train").get("total").asDouble(), "spark loss falls");
        assertTrue(sparkR2 > 0, "spark: held-out reconstruction R² " + sparkR2);
        assertTrue(sparkLast < 2 * last, "comparable: local " + last + ", spark " + sparkLast);

        // embed: one row per ok checkpoint, the latent width, splits as in the zoo
        String emb = tmp.resolve("emb").toString();
        Cli.ok("embed", "--zoo", zoo, "--encoder", local, "--out", emb, "--master", "local[2]");
        Dataset<Row> e = Zoos.spark().read().parquet(emb);
        assertEquals(Zoos.rows(zoo).filter(col("status").equalTo("ok")).count(), e.count());
        assertEquals(16, e.first().getList(3).size());
        java.util.Map<String, String> splitOf = new java.util.HashMap<>();
        Zoos.rows(zoo).select("model_id", "split").distinct().collectAsList()
                .forEach(r -> splitOf.put(r.getString(0), r.getString(1)));
        for (Row r : e.select("model_id", "split").collectAsList()) {
            assertEquals(splitOf.get(r.getString(0)), r.getString(1), "split of " + r.getString(0));
        }
        assertTrue(Files.exists(Path.of(emb, "_provenance.json")));
        // embedding again with the same encoder and zoo does nothing; another encoder's needs --replace
        long written = new File(emb, "_SUCCESS").lastModified();
        Cli.ok("embed", "--zoo", zoo, "--encoder", local, "--out", emb, "--master", "local[2]");
        assertEquals(written, new File(emb, "_SUCCESS").lastModified());
        Cli.Run other = Cli.run("embed", "--zoo", zoo, "--encoder", spark, "--out", emb, "--master", "local[2]");
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("--replace") && other.err().contains(emb), other.err());
        assertEquals(e.count(), Zoos.spark().read().parquet(emb).count(), "the refused run left the embeddings alone");
        // rerunning train for the same config and zoo does nothing
        long modified = new File(local, "model.zip").lastModified();
        Cli.ok(train(local, "local", RECONSTRUCTION));
        assertEquals(modified, new File(local, "model.zip").lastModified());
    }

    @Test
    void aKilledTrainingRunResumes() throws Exception {
        String out = tmp.resolve("enc-kill").toString();
        Process p = Cli.start(tmp.resolve("train.log").toFile(), train(out, "local"));
        Path state = Path.of(out, "checkpoint", "state.json");
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!(Files.exists(state) && Json.MAPPER.readTree(state.toFile()).get("epoch").asInt() >= 2)) {
            if (!p.isAlive()) throw new AssertionError("training ended before the kill: " + Files.readString(tmp.resolve("train.log")));
            if (System.nanoTime() > deadline) throw new AssertionError("no checkpoint in 300 s");
            Thread.sleep(50);
        }
        Cli.killHard(p);
        JsonNode before = Json.MAPPER.readTree(state.toFile());
        int done = before.get("epoch").asInt();
        assertTrue(done < 12, "killed before the end");
        Cli.ok(train(out, "local"));
        JsonNode h = history(out);
        assertEquals(12, h.size());
        for (int i = 0; i < 12; i++) assertEquals(i + 1, h.get(i).get("epoch").asInt());
        for (int i = 0; i < done; i++) {
            assertEquals(before.get("history").get(i), h.get(i), "epoch " + (i + 1) + " kept from the killed run");
        }
    }

    /**
     * Mismatched or damaged inputs to embed and probe: exit code 2, one line naming the file and the remedy, and
     * nothing written at --out.
     */
    @Test
    void mismatchedOrDamagedInputsAreRefusedWithOneLine() throws Exception {
        String enc = tmp.resolve("enc-small").toString();
        Cli.ok(train(enc, "local", "--set", "encoder.training.epochs=1"));

        // embeddings of another zoo (same architecture, another name) probed with this zoo
        String other = tmp.resolve("other-zoo").toString();
        Cli.ok("zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", other, "--set", "zoo.name=other");
        String otherEmb = tmp.resolve("other-emb").toString();
        Cli.ok("embed", "--zoo", other, "--encoder", enc, "--out", otherEmb, "--master", "local[2]");
        String probeOut = tmp.resolve("probe-refused").toString();
        assertRefused(Cli.run("probe", "--zoo", zoo, "--embeddings", otherEmb + "=E", "--out", probeOut),
                probeOut, otherEmb, "zoo other", "hyperrep embed");

        // an encoder whose record says it was trained on another architecture
        Path foreign = copy(Path.of(enc), tmp.resolve("enc-foreign"));
        Path record = foreign.resolve("encoder.json");
        com.fasterxml.jackson.databind.node.ObjectNode r = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.MAPPER.readTree(record.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("layout")).put("architecture", "cnn-s");
        Json.MAPPER.writeValue(record.toFile(), r);
        String out1 = tmp.resolve("emb-refused-1").toString();
        assertRefused(Cli.run("embed", "--zoo", zoo, "--encoder", foreign.toString(), "--out", out1),
                out1, foreign.toString(), "cnn-s", "tetris-mlp");

        // a truncated model file
        Path truncated = copy(Path.of(enc), tmp.resolve("enc-truncated"));
        Path model = truncated.resolve("model.zip");
        Files.write(model, java.util.Arrays.copyOf(Files.readAllBytes(model), 5000));
        Files.deleteIfExists(truncated.resolve(".model.zip.crc"));
        String out2 = tmp.resolve("emb-refused-2").toString();
        assertRefused(Cli.run("embed", "--zoo", zoo, "--encoder", truncated.toString(), "--out", out2),
                out2, model.toString(), "truncated or corrupt", "hyperrep train");
    }

    private static void assertRefused(Cli.Run r, String out, String... mentioned) {
        assertEquals(2, r.exitCode(), r.err());
        String line = r.err().strip();
        assertTrue(!line.contains("\n"), "one line: " + line);
        for (String m : mentioned) assertTrue(line.contains(m), "names '" + m + "': " + line);
        assertTrue(!Files.exists(Path.of(out)), "nothing written at " + out);
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (java.util.stream.Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) Files.copy(p, to.resolve(from.relativize(p).toString()));
        }
        return to;
    }
}
