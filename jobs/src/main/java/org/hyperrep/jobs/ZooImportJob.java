package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.BadInputException;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.config.SplitSpec;
import org.hyperrep.store.smallcnn.SmallCnnImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hyperrep zoo import}: a public zoo in another format as a hyperrep zoo. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a zoo published in another format (small-cnn-zoo: weights.npy, metrics.csv.gz, "
                + "layout.csv of Unterthiner et al. 2020) as a hyperrep zoo of cnn-unterthiner models. Rows with "
                + "NaN/Inf weights are kept as diverged. Rerunning imports only the models that are missing.")
final class ZooImportJob implements Callable<Integer> {
    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "small-cnn-zoo")
    String format;

    @Parameters(index = "0", paramLabel = "DIR", description = "directory holding the published files")
    String dir;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "zoo location (path or Hadoop URI)")
    String out;

    @Option(names = "--name", paramLabel = "NAME", description = "zoo name (default small-cnn-zoo-DATASET)")
    String name;

    @Option(names = "--models-per-commit", paramLabel = "N", defaultValue = "500",
            description = "models written and committed together (default ${DEFAULT-VALUE})")
    int modelsPerCommit;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default local[*])")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key, e.g. --set zoo.split.seed=7")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        if (!format.equals("small-cnn-zoo")) {
            throw new BadInputException("--format " + format + ": unknown format, expected small-cnn-zoo");
        }
        Config c = ConfigFiles.load(null, overrides);
        SplitSpec split = new SplitSpec(c.getDouble("zoo.split.train"), c.getDouble("zoo.split.validation"),
                c.getDouble("zoo.split.test"), c.getLong("zoo.split.seed"));
        SmallCnnImport.Options options = new SmallCnnImport.Options(name, split, modelsPerCommit);
        List<String> command = new ArrayList<>(List.of("zoo", "import", "--format", format, dir, "--out", out));
        if (name != null) command.addAll(List.of("--name", name));
        overrides.forEach(o -> command.addAll(List.of("--set", o)));
        SparkSession spark = SparkSessions.create("zoo import", c, master);
        try {
            SmallCnnImport.Result r = new SmallCnnImport(spark, options).run(dir, out, c.root().unwrapped(), command);
            System.out.printf("zoo %s at %s: %d models in %s, %d already there, %d imported, %d rows written "
                    + "(%d diverged)%n", r.name(), out, r.models(), dir, r.alreadyPresent(), r.imported(), r.rows(),
                    r.divergedRows());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
