package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.hadoop.fs.Path;
import org.hyperrep.config.ConfigFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hyperrep run}: the whole pipeline from one config, each stage the same job a user runs by hand, in one JVM.
 * Outputs go under {@code --out}: {@code zoo/}, {@code encoder/}, {@code embeddings/}, {@code probe/}. Every stage is
 * idempotent (a zoo build trains only missing models; train, embed and probe do nothing when their output was made
 * from the same config and inputs), so a rerun skips what is done and a killed run resumes.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the pipeline of a config (conf/pipelines/*.conf): zoo build -> train -> embed -> probe. "
                + "Stages whose output for the same config already exists are skipped.")
final class RunJob implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "pipeline config (conf/pipelines/*.conf)")
    File config;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "pipeline output location")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default: spark.master of the config)")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key")
    List<String> overrides = new ArrayList<>();

    /** Where each stage of a pipeline run writes. */
    record Layout(String zoo, String encoder, String embeddings, String probe) {
        static Layout of(String out, Config c) {
            Path root = new Path(out);
            String zoo = c.getString("pipeline.zoo");
            return new Layout(zoo.isEmpty() ? new Path(root, "zoo").toString() : zoo, new Path(root, "encoder").toString(),
                    new Path(root, "embeddings").toString(), new Path(root, "probe").toString());
        }
    }

    @Override
    public Integer call() throws Exception {
        Config c = ConfigFiles.load(config, overrides);
        Layout at = Layout.of(out, c);
        long start = System.nanoTime();
        Stages stages = new Stages(config, master);
        if (c.getString("pipeline.zoo").isEmpty() && Stages.run("zoo build", stages.zooBuild(at.zoo(), overrides)) != 0) {
            return 1;
        }
        if (Stages.run("train", stages.train(at.zoo(), at.encoder(), overrides)) != 0) return 1;
        if (Stages.run("embed", stages.embed(at.zoo(), at.encoder(), at.embeddings())) != 0) return 1;
        List<String> embeddings = List.of(at.embeddings() + "=" + c.getString("pipeline.embedding-name"));
        if (Stages.run("probe", stages.probe(at.zoo(), embeddings, at.probe(), overrides)) != 0) return 1;
        System.out.printf("pipeline done in %.0f s: %s%n", (System.nanoTime() - start) / 1e9, out);
        return 0;
    }
}
