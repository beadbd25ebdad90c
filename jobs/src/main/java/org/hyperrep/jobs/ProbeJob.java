package org.hyperrep.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.hyperrep.config.BadInputException;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.config.ProbeConfig;
import org.hyperrep.probe.FeatureSet;
import org.hyperrep.probe.ProbeInputs;
import org.hyperrep.probe.ProbeInputs.Embedding;
import org.hyperrep.probe.ProbeResults;
import org.hyperrep.probe.ProbeSuite;
import org.hyperrep.report.EmbeddingPca;
import org.hyperrep.report.EncoderLosses;
import org.hyperrep.report.EpochLosses;
import org.hyperrep.report.FeatureSetPredictions;
import org.hyperrep.report.PcaProjection;
import org.hyperrep.report.Report;
import org.hyperrep.report.ReportWriter;
import org.hyperrep.report.ResultsTable;
import org.hyperrep.report.ResultsTables;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;
import org.hyperrep.store.Provenance;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import org.hyperrep.store.ZooSubset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code hyperrep probe}: the downstream evaluation of docs/method.md for one zoo: linear probes on W, s(W) and each
 * embedding, gradient-boosted trees on Unterthiner's statistics, one results table and report. With
 * {@code --target-zoo}, out of distribution: probes are fitted on the zoo's train/validation splits and scored on
 * the test split of the target zoo (same architecture), embedded with the same encoders.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Predict model characteristics from W, s(W), Unterthiner's statistics (GBT) and embeddings; "
                + "write the results table (Parquet, CSV, Markdown), the report (HTML, PNG plots), the fitted probes "
                + "and the test predictions.")
final class ProbeJob implements Callable<Integer> {
    static final String PROBES = "probes", PREDICTIONS = "predictions", RESULTS = "probe-results";

    @Option(names = "--zoo", required = true, paramLabel = "URI", description = "zoo whose splits fit and score the probes")
    String zoo;

    @Option(names = "--embeddings", paramLabel = "URI[=NAME]",
            description = "embeddings of the zoo (hyperrep embed), named NAME in the table (default: pipeline.embedding-name)")
    List<String> embeddings = new ArrayList<>();

    @Option(names = "--target-zoo", paramLabel = "URI",
            description = "out of distribution: score on this zoo's test split (same architecture)")
    String targetZoo;

    @Option(names = "--target-embeddings", paramLabel = "URI",
            description = "embeddings of the target zoo, one per --embeddings, by the same encoders")
    List<String> targetEmbeddings = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "URI", description = "probe run location")
    String out;

    @Option(names = "--config", paramLabel = "FILE", description = "config with a probe section (default: the defaults)")
    File config;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default: spark.master of the config)")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key")
    List<String> overrides = new ArrayList<>();

    /** URI=NAME: the first '=' after the URI's last '/' (directory names may hold '=', e.g. sweep cells). */
    static Embedding parseEmbedding(String spec, String defaultName) {
        int eq = spec.indexOf('=', spec.lastIndexOf('/') + 1);
        return eq > 0 ? new Embedding(spec.substring(eq + 1), spec.substring(0, eq)) : new Embedding(defaultName, spec);
    }

    @Override
    public Integer call() throws IOException {
        Config c = ConfigFiles.load(config, overrides);
        ProbeConfig pc = ProbeConfig.from(c);
        ZooManifest manifest = new ZooStore(zoo).requireManifest();
        ZooManifest targetManifest = targetZoo == null ? null : new ZooStore(targetZoo).requireManifest();
        if (targetManifest != null && !targetManifest.layout().equals(manifest.layout())) {
            throw new BadInputException("--target-zoo " + targetZoo + " has architecture " + targetManifest.architecture()
                    + ", the zoo " + zoo + " has " + manifest.architecture() + ": probes need the same layout");
        }
        if (targetZoo != null && targetEmbeddings.size() != embeddings.size()) {
            throw new BadInputException("--target-zoo needs one --target-embeddings per --embeddings (" + embeddings.size()
                    + " given, " + targetEmbeddings.size() + " target embeddings)");
        }
        for (String t : targetEmbeddings) checkMadeFrom(t, targetZoo, targetManifest);
        List<Embedding> embs = new ArrayList<>();
        for (String e : embeddings) {
            Embedding emb = parseEmbedding(e, embeddings.size() == 1 ? c.getString("pipeline.embedding-name")
                    : "E" + (embs.size() + 1));
            if (!HadoopFiles.exists(new Path(emb.uri(), "_SUCCESS"))) {
                throw new BadInputException("no embeddings at " + emb.uri() + " (run hyperrep embed first)");
            }
            checkMadeFrom(emb.uri(), zoo, manifest);
            embs.add(emb);
        }
        ZooSubset subset = ZooSubset.from(c);
        String fingerprint = fingerprint(c, manifest, targetManifest, embs, subset);
        Path root = new Path(out);
        Path record = new Path(root, "_provenance.json");
        if (HadoopFiles.exists(record) && fingerprint.equals(EmbedJob.runIdOf(record))) {
            System.out.println("probe results at " + out + " are current for these inputs and config: nothing to do");
            return 0;
        }
        SparkSession spark = SparkSessions.create("probe", c, master);
        try {
            Provenance prov = Provenance.start("probe", fingerprint, c.withOnlyPath("probe").root().unwrapped(),
                    command());
            prov.input("zoo", Map.of("uri", zoo, "name", manifest.name(), "builds",
                    manifest.builds().stream().map(ZooManifest.BuildEntry::runId).toList()));
            if (!subset.isWholeZoo()) prov.input("subset", subset);
            Dataset<Row> rows = subset.apply(features(spark, zoo, manifest, embs, prov, ""));
            if (targetZoo != null) {
                List<Embedding> targets = new ArrayList<>();
                for (int i = 0; i < embs.size(); i++) targets.add(new Embedding(embs.get(i).name(), targetEmbeddings.get(i)));
                prov.input("target_zoo", Map.of("uri", targetZoo, "name", targetManifest.name()));
                // fitted on the zoo's train and validation splits, scored on the target's test split
                rows = rows.filter(col("split").notEqual("test"))
                        .unionByName(features(spark, targetZoo, targetManifest, targets, prov, "target_")
                                .filter(col("split").equalTo("test")));
            }
            if (pc.concatenateStatistics()) {
                for (Embedding e : embs) rows = ProbeInputs.withStatistics(rows, e.column());
            }
            rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
            List<FeatureSet> sets = ProbeInputs.featureSets(pc, c.getBoolean("probe.baselines"), embs);
            if (sets.isEmpty()) throw new BadInputException("nothing to probe: no --embeddings and probe.baselines = false");

            ProbeSuite.ProbeRun run = new ProbeSuite(pc).run(rows, sets, new Path(root, PROBES).toString());
            ProbeResults.writeParquet(spark, run.results(), new Path(root, RESULTS).toString());
            ProbeResults.writeCsv(run.results(), new Path(root, RESULTS + ".csv").toString());
            ProbeResults.writePredictions(run.predictions(), new Path(root, PREDICTIONS).toString());
            Dataset<Row> predictions = spark.read().parquet(new Path(root, PREDICTIONS).toString());

            ResultsTable table = ResultsTables.of(sets.stream().map(FeatureSet::name).toList(), run.results());
            String paper = c.getString("probe.paper-reference");
            if (!paper.isEmpty()) table = table.withPaperReference(paper);
            List<PcaProjection> pca = new ArrayList<>();
            Map<String, List<EpochLosses>> losses = new LinkedHashMap<>();
            for (Embedding e : embs) {
                pca.add(EmbeddingPca.project(e.name(), rows.select(col(e.column() + "_array").as("embedding"),
                        col("test_accuracy"), col("epoch"))));
                String encoder = encoderOf(e.uri());
                if (encoder != null) losses.put(e.name(), EncoderLosses.read(encoder));
            }
            prov.count("rows", rows.count()).count("probes", run.results().size());
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("fingerprint", fingerprint);
            provenance.put("command", command());
            provenance.put("probe config", c.withOnlyPath("probe").root().unwrapped());
            provenance.put("zoo", Map.of("uri", zoo, "name", manifest.name(), "architecture", manifest.architecture(),
                    "models", manifest.models(), "checkpoints", manifest.checkpoints()));
            provenance.put("embeddings", embs);
            String title = "hyperrep probes: zoo " + manifest.name()
                    + (targetManifest == null ? "" : " → " + targetManifest.name() + " (out of distribution)");
            var written = ReportWriter.write(root.toUri(), new Report(title, table,
                    FeatureSetPredictions.testAccuracy(predictions), pca, losses, provenance));
            prov.finishAndWrite(record);
            System.out.println(table.toMarkdown());
            System.out.println("report: " + written.html());
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** {@link ProbeInputs#checkpoints}, with each embedding recorded as an input. */
    private static Dataset<Row> features(SparkSession spark, String zoo, ZooManifest manifest, List<Embedding> embs,
                                         Provenance prov, String prefix) throws IOException {
        for (Embedding e : embs) {
            prov.input(prefix + "embeddings " + e.name(), Map.of("uri", e.uri(), "run_id",
                    EmbedJob.runIdOf(new Path(e.uri(), "_provenance.json"))));
        }
        return ProbeInputs.checkpoints(spark, zoo, manifest, embs);
    }

    /**
     * Refuses embeddings whose provenance names another zoo than the one they are probed with (compared by the
     * manifests' name and layout, so a copied or moved zoo still matches); silent when the recorded zoo is gone.
     */
    static void checkMadeFrom(String embeddings, String zoo, ZooManifest manifest) {
        if (zoo == null || manifest == null) return;
        Path record = new Path(embeddings, "_provenance.json");
        if (!HadoopFiles.exists(record)) return;
        String from;
        try {
            from = Json.MAPPER.readTree(HadoopFiles.readText(record)).path("inputs").path("zoo").asText("");
        } catch (IOException e) {
            throw new BadInputException("cannot read " + record + ": " + e.getMessage(), e);
        }
        if (from.isEmpty() || !HadoopFiles.exists(new ZooStore(from).manifestPath())) return;
        ZooManifest made = new ZooStore(from).requireManifest();
        if (!made.name().equals(manifest.name()) || !made.layout().equals(manifest.layout())) {
            throw new BadInputException("embeddings at " + embeddings + " were made from zoo " + made.name() + " ("
                    + from + "), not from zoo " + manifest.name() + " at " + zoo + ": embed it first (hyperrep embed "
                    + "--zoo " + zoo + " --encoder ENCODER --out URI)");
        }
    }

    /** The encoder an embeddings directory was made with, from its provenance (null if it does not say). */
    private static String encoderOf(String embeddings) throws IOException {
        JsonNode p = Json.MAPPER.readTree(HadoopFiles.readText(new Path(embeddings, "_provenance.json")));
        JsonNode uri = p.path("inputs").path("encoder").path("uri");
        return uri.isTextual() ? uri.asText() : null;
    }

    private String fingerprint(Config c, ZooManifest manifest, ZooManifest targetManifest, List<Embedding> embs,
                               ZooSubset subset) {
        StringBuilder s = new StringBuilder("probe|").append(ConfigFiles.render(c.withOnlyPath("probe")));
        if (!subset.isWholeZoo()) s.append('|').append(ConfigFiles.render(c.withOnlyPath("subset")));
        for (Embedding e : embs) {
            s.append('|').append(e.name()).append('=').append(EmbedJob.runIdOf(new Path(e.uri(), "_provenance.json")));
        }
        if (targetManifest != null) {
            s.append("|target=").append(Fingerprints.of("", targetManifest));
            targetEmbeddings.forEach(t -> s.append('|').append(EmbedJob.runIdOf(new Path(t, "_provenance.json"))));
        }
        return Fingerprints.of(s.toString(), manifest);
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>(List.of("probe", "--zoo", zoo, "--out", out));
        embeddings.forEach(e -> cmd.addAll(List.of("--embeddings", e)));
        if (targetZoo != null) cmd.addAll(List.of("--target-zoo", targetZoo));
        targetEmbeddings.forEach(e -> cmd.addAll(List.of("--target-embeddings", e)));
        if (config != null) cmd.addAll(List.of("--config", config.getPath()));
        overrides.forEach(o -> cmd.addAll(List.of("--set", o)));
        return cmd;
    }
}
