package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.config.ZooConfig;
import org.hyperrep.zoo.ZooBuild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hyperrep zoo build}: trains the models of a zoo config that the output zoo does not hold yet. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Build or grow a zoo: train every planned model that is not in --out yet, one Spark task per "
                + "model, committing batches atomically. Rerunning a finished build trains nothing.")
final class ZooBuildJob implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "zoo config (conf/zoos/*.conf)")
    File config;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "zoo location (path or Hadoop URI)")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default: spark.master of the config, local[*])")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key, e.g. --set zoo.training.epochs=2")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        Config c = ConfigFiles.load(config, overrides);
        ZooConfig zoo = ZooConfig.from(c);
        List<String> command = new ArrayList<>(List.of("zoo", "build", "--config", config.getPath(), "--out", out));
        overrides.forEach(o -> command.addAll(List.of("--set", o)));
        SparkSession spark = SparkSessions.create("zoo build " + zoo.name(), c, master);
        try {
            ZooBuild.Result r = new ZooBuild(spark, zoo, out, c.getInt("zoo.build.threads-per-task"))
                    .run(c.root().unwrapped(), command);
            System.out.printf("zoo %s at %s: %d models planned, %d already there, %d trained, %d rows written%n",
                    zoo.name(), out, r.planned(), r.alreadyPresent(), r.trained(), r.rows());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
