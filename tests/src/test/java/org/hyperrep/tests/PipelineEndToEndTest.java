package org.hyperrep.tests;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.hyperrep.zoo.GeneratingFactors;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hyperrep run} end to end on a tiny Tetris pipeline (zoo build → train → embed → probe), a rerun that skips
 * every stage, {@code predict} on models outside the zoo, and {@code probe} out of distribution on a second zoo.
 */
class PipelineEndToEndTest {
    @TempDir
    static Path tmp;
    static String run;

    static String pipeline(String name) {
        try {
            return new File(PipelineEndToEndTest.class.getResource("/pipelines/" + name).toURI()).getPath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void runPipeline() {
        run = tmp.resolve("run").toString();
        Cli.ok("run", "--config", pipeline("tetris-tiny.conf"), "--out", run, "--master", "local[2]");
    }

    @Test
    void theRunWritesEveryStageAndTheReport() throws Exception {
        Path probe = Path.of(run, "probe");
        Dataset<Row> results = Zoos.spark().read().parquet(probe.resolve("probe-results").toString());
        Set<String> sets = new HashSet<>();
        results.select("feature_set").distinct().collectAsList().forEach(r -> sets.add(r.getString(0)));
        // every feature set with the configured family (linear here) and E_cD ⊕ s(W)
        assertEquals(Set.of("W", "s(W)", "stats", "E_cD", "E_cD⊕s(W)"), sets);
        // the tiny zoo varies activation and optimizer; epoch, accuracy and gap vary by training
        Set<String> targets = new HashSet<>();
        results.select("target").distinct().collectAsList().forEach(r -> targets.add(r.getString(0)));
        assertEquals(Set.of("epoch", "test_accuracy", "generalization_gap", "activation", "optimizer"), targets);
        assertEquals(5 * 5, results.count());
        for (Row r : results.filter(col("kind").equalTo("classification")).collectAsList()) {
            double acc = r.getAs("test_metric");
            assertTrue(acc >= 0 && acc <= 100, "accuracy in % " + r);
        }
        // per-sample test predictions, one per test checkpoint, probe and target
        long testRows = Zoos.rows(Path.of(run, "zoo").toString()).filter(col("split").equalTo("test")
                .and(col("status").equalTo("ok"))).count();
        Dataset<Row> preds = Zoos.spark().read().parquet(probe.resolve("predictions").toString());
        assertEquals(testRows * 5 * 5, preds.count());
        // the table in every format, the report self-contained with its plots
        String md = Files.readString(probe.resolve("report.md"));
        for (String s : List.of("W", "s(W)", "stats", "E_cD", "test accuracy", "activation", "Kendall")) {
            assertTrue(md.contains(s), "report.md shows " + s + ":\n" + md);
        }
        assertTrue(Files.readString(probe.resolve("results.csv")).startsWith("target,metric,W,s(W),stats,E_cD,E_cD⊕s(W)"));
        String html = Files.readString(probe.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,") && !html.contains("src=\"http"));
        try (var pngs = Files.list(probe.resolve("plots"))) {
            assertTrue(pngs.count() >= 4, "plots: accuracy, PCA by accuracy and by epoch, losses");
        }
        assertTrue(Files.exists(probe.resolve("_provenance.json")));
        assertTrue(Files.isDirectory(probe.resolve("probes/E_cD/test_accuracy")));

        // a rerun skips every stage: nothing is rewritten
        long encoder = new File(run, "encoder/model.zip").lastModified();
        long embeddings = new File(run, "embeddings/_SUCCESS").lastModified();
        long report = probe.resolve("report.html").toFile().lastModified();
        Cli.ok("run", "--config", pipeline("tetris-tiny.conf"), "--out", run, "--master", "local[2]");
        assertEquals(encoder, new File(run, "encoder/model.zip").lastModified());
        assertEquals(embeddings, new File(run, "embeddings/_SUCCESS").lastModified());
        assertEquals(report, probe.resolve("report.html").toFile().lastModified());
    }

    @Test
    void predictReadsDl4jModelsAndZooRows() throws Exception {
        // a model that is in no zoo: a fresh tetris-mlp saved by DL4J
        Architecture arch = Architectures.byName("tetris-mlp");
        MultiLayerNetwork net = new MultiLayerNetwork(arch.configuration(
                new GeneratingFactors(99, "relu", "uniform", "adam", 1e-2, 0, 0, 1)));
        net.init();
        File model = tmp.resolve("outsider.zip").toFile();
        ModelSerializer.writeModel(net, model, false);
        // and three zoo rows in the zoo's Parquet format
        String rows = tmp.resolve("rows").toString();
        Zoos.rows(Path.of(run, "zoo").toString()).filter(col("status").equalTo("ok")).limit(3)
                .write().parquet(rows);
        String out = tmp.resolve("predicted").toString();
        Cli.ok("predict", "--run", run, "--out", out, "--master", "local[2]", model.getPath(), rows);
        Dataset<Row> p = Zoos.spark().read().parquet(out);
        assertEquals(4L, p.select("input", "model_id", "epoch").distinct().count(), "1 model file + 3 rows");
        assertEquals(4L * 5 * 5, p.count(), "every model × feature set × target");
        assertEquals(0L, p.filter(col("target").equalTo("activation").and(col("predicted_label").isNull())).count());
        assertEquals(0L, p.filter(col("target").equalTo("test_accuracy").and(col("predicted").isNaN())).count());
        // regression predictions carry their 90% interval around them; the zoo rows carry their true values
        assertEquals(0L, p.filter(col("target").equalTo("test_accuracy")
                .and(col("lower").gt(col("predicted")).or(col("upper").lt(col("predicted"))))).count());
        assertEquals(0L, p.filter(col("target").equalTo("test_accuracy").and(col("lower").isNull())).count());
        assertEquals(3L * 5 * 5, p.filter(col("true").isNotNull()).count(), "true values of the 3 zoo rows");

        // the printed table: one line per model; CSV and JSON likewise
        String table = Cli.okPrinting("predict", "--run", run, "--master", "local[2]", model.getPath(), rows).out();
        List<String> lines = table.lines().toList();
        assertEquals(2 + 4, lines.size(), table);   // title, header, 4 models
        assertTrue(lines.get(1).contains("test_accuracy [90% interval]") && lines.get(1).contains("true"), table);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(model.getPath())), table);
        String csv = Cli.okPrinting("predict", "--run", run, "--format", "csv", "--master", "local[2]", rows).out();
        List<String> csvLines = csv.lines().toList();
        assertEquals(4, csvLines.size(), csv);
        List<String> header = List.of(csvLines.get(0).split(","));
        assertTrue(header.containsAll(List.of("test_accuracy", "test_accuracy_lower", "test_accuracy_upper",
                "test_accuracy_true")), csv);
        for (String l : csvLines.subList(1, 4)) {
            String[] f = l.split(",", -1);
            double predicted = Double.parseDouble(f[header.indexOf("test_accuracy")]);
            assertTrue(Double.parseDouble(f[header.indexOf("test_accuracy_lower")]) <= predicted
                    && predicted <= Double.parseDouble(f[header.indexOf("test_accuracy_upper")]), l);
            assertFalse(f[header.indexOf("test_accuracy_true")].isEmpty(), l);
        }
        com.fasterxml.jackson.databind.JsonNode json = org.hyperrep.store.Json.MAPPER.readTree(
                Cli.okPrinting("predict", "--run", run, "--format", "json", "--master", "local[2]", rows).out());
        assertEquals(3, json.size());
        assertTrue(json.get(0).path("predictions").path("test_accuracy").has("upper"), json.toString());

        Cli.Run bad = Cli.run("predict", "--run", run, tmp.resolve("missing.zip").toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("missing.zip"), bad.err());
    }

    @Test
    void probesFittedOnOneZooScoreAnother() throws Exception {
        // the same recipe with other seeds is another zoo of the same architecture
        String other = tmp.resolve("other-zoo").toString();
        Cli.ok("zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", other, "--master", "local[2]",
                "--set", "zoo.name=tetris-tiny-ood", "--set", "zoo.factors.seeds={from=11,to=20}",
                "--set", "zoo.build.models-per-commit=40");
        String otherEmb = tmp.resolve("other-emb").toString();
        Cli.ok("embed", "--zoo", other, "--encoder", Path.of(run, "encoder").toString(), "--out", otherEmb,
                "--master", "local[2]");
        String ood = tmp.resolve("ood").toString();
        Cli.ok("probe", "--zoo", Path.of(run, "zoo").toString(), "--embeddings", Path.of(run, "embeddings") + "=E_cD",
                "--target-zoo", other, "--target-embeddings", otherEmb, "--config", pipeline("tetris-tiny.conf"),
                "--out", ood, "--master", "local[2]");
        Dataset<Row> r = Zoos.spark().read().parquet(Path.of(ood, "probe-results").toString());
        long targetTest = Zoos.rows(other).filter(col("split").equalTo("test").and(col("status").equalTo("ok"))).count();
        for (Row row : r.select("test_rows").collectAsList()) assertEquals(targetTest, row.getLong(0));
        String md = Files.readString(Path.of(ood, "report.md"));
        assertTrue(md.contains("tetris-tiny-ood"), md);
        Matcher m = Pattern.compile("out of distribution").matcher(Files.readString(Path.of(ood, "report.html")));
        assertTrue(m.find());
    }

    @Test
    void aSweepComparesItsCellsAndSkipsThemOnRerun() throws Exception {
        String sweep = tmp.resolve("sweep").toString();
        String config = new File(PipelineEndToEndTest.class.getResource("/sweeps/tetris-tiny-ablation.conf").toURI()).getPath();
        String[] args = {"sweep", "--config", config, "--out", sweep, "--master", "local[2]",
                "--set", "pipeline.zoo=\"" + Path.of(run, "zoo") + "\""};
        Cli.ok(args);
        for (String cell : List.of("base", "gamma=0")) {
            Path dir = Path.of(sweep, "cells", cell);
            assertTrue(Files.exists(dir.resolve("encoder/provenance.json")), cell);
            assertTrue(Files.exists(dir.resolve("embeddings/_provenance.json")), cell);
            assertTrue(Files.exists(dir.resolve("probe/_provenance.json")), cell);
        }
        for (String cell : List.of("base", "gamma=0")) {
            double gamma = org.hyperrep.store.Json.MAPPER.readTree(Path.of(sweep, "cells", cell, "encoder", "encoder.json")
                    .toFile()).path("encoder").path("spec").path("gamma").asDouble(-1);
            assertEquals(cell.equals("base") ? 0.5 : 0.0, gamma, cell);
        }
        // each cell is embedded with its own encoder (a cache keyed by broadcast id once gave every cell the first's)
        List<Row> base = Zoos.spark().read().parquet(Path.of(sweep, "cells", "base", "embeddings").toString())
                .orderBy("model_id", "epoch").select("embedding").collectAsList();
        List<Row> noContrast = Zoos.spark().read().parquet(Path.of(sweep, "cells", "gamma=0", "embeddings").toString())
                .orderBy("model_id", "epoch").select("embedding").collectAsList();
        assertEquals(base.size(), noContrast.size());
        assertTrue(!base.equals(noContrast), "the two cells' embeddings differ");
        String csv = Files.readString(Path.of(sweep, "comparison", "results.csv"));
        assertTrue(csv.startsWith("target,metric,W,s(W),stats,base,base⊕s(W),gamma=0,gamma=0⊕s(W)"), csv);
        assertTrue(Files.readString(Path.of(sweep, "comparison", "report.html")).contains("gamma=0"));
        // finished cells are skipped: a rerun rewrites no encoder, embedding or probe result
        long encoder = new File(sweep, "cells/gamma=0/encoder/model.zip").lastModified();
        long probe = new File(sweep, "cells/gamma=0/probe/_provenance.json").lastModified();
        long baselines = new File(sweep, "baselines/_provenance.json").lastModified();
        Cli.ok(args);
        assertEquals(encoder, new File(sweep, "cells/gamma=0/encoder/model.zip").lastModified());
        assertEquals(probe, new File(sweep, "cells/gamma=0/probe/_provenance.json").lastModified());
        assertEquals(baselines, new File(sweep, "baselines/_provenance.json").lastModified());
    }
}
