package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.encoder.EncoderConfig;
import org.hyperrep.encoder.EncoderStore;
import org.hyperrep.encoder.EncoderTrainer;
import org.hyperrep.encoder.TrainingSample;
import org.hyperrep.encoder.TrainingSamples;
import org.hyperrep.store.Provenance;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import org.hyperrep.store.ZooSubset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code hyperrep train}: learns a hyper-representation of a zoo's training split. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the hyper-representation encoder on the train split of a zoo (validation split for "
                + "monitoring), with DL4J parameter averaging on Spark or in one JVM. Resumes a killed run.")
final class TrainJob implements Callable<Integer> {
    @Option(names = "--zoo", required = true, paramLabel = "URI", description = "zoo location")
    String zoo;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "encoder config (conf/encoders/*.conf)")
    File config;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "encoder location")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default: spark.master of the config)")
    String master;

    @Option(names = "--engine", paramLabel = "E", description = "spark (parameter averaging) or local (one JVM); default: encoder.training.engine")
    String engine;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> all = new ArrayList<>(overrides);
        if (engine != null) all.add("encoder.training.engine=" + engine);
        Config c = ConfigFiles.load(config, all);
        EncoderConfig ec = EncoderConfig.from(c);
        ZooStore zooStore = new ZooStore(zoo);
        ZooManifest manifest = zooStore.requireManifest();
        EncoderStore store = new EncoderStore(out);
        SparkSession spark = SparkSessions.create("train", c, master, "train-conf");
        try {
            ZooSubset subset = ZooSubset.from(c);
            String fingerprint = Fingerprints.of(ConfigFiles.render(c.withOnlyPath("encoder"))
                    + (subset.isWholeZoo() ? "" : ConfigFiles.render(c.withOnlyPath("subset"))), manifest);
            if (store.isFinished() && fingerprint.equals(store.readRecord().get("fingerprint"))) {
                System.out.println("encoder at " + out + " is already trained for this config and zoo: nothing to do");
                return 0;
            }
            Provenance prov = Provenance.start("train", fingerprint, c.withOnlyPath("encoder").root().unwrapped(),
                    List.of("train", "--zoo", zoo, "--config", config.getPath(), "--out", out));
            prov.input("zoo", Map.of("uri", zoo, "name", manifest.name(), "builds",
                    manifest.builds().stream().map(ZooManifest.BuildEntry::runId).toList()));
            if (!subset.isWholeZoo()) prov.input("subset", subset);
            List<TrainingSample> train = TrainingSamples.load(spark, zooStore, "train", subset);
            List<TrainingSample> validation = TrainingSamples.load(spark, zooStore, "validation", subset);
            EncoderTrainer trainer = new EncoderTrainer(ec, manifest.layout(), store,
                    JavaSparkContext.fromSparkContext(spark.sparkContext()));
            ComputationGraph graph = trainer.train(train, validation, fingerprint);
            store.writeGraph(store.modelPath(), graph, false);
            prov.count("train_samples", train.size()).count("validation_samples", validation.size())
                    .count("parameters", graph.numParams());
            prov.finishAndWrite(new org.apache.hadoop.fs.Path(store.root(), "provenance.json"));
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("fingerprint", fingerprint);
            record.put("zoo", zoo);
            record.put("zoo_name", manifest.name());
            record.put("parameters", graph.numParams());
            record.put("provenance", "provenance.json");
            record.putAll(EncoderTrainer.describe(ec, manifest.layout(), trainer.history()));
            store.writeJson(store.recordPath(), record);
            System.out.printf("encoder trained on %d samples of zoo %s: %s%n", train.size(), manifest.name(), out);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
