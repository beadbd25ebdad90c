package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.BadInputException;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.store.smallcnn.SmallCnnExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code hyperrep zoo export}: a hyperrep zoo in another published format. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a cnn-unterthiner zoo in the small-cnn-zoo format (weights.npy in TensorFlow order, "
                + "bias before kernel; metrics.csv.gz; layout.csv). An imported zoo comes back exactly.")
final class ZooExportJob implements Callable<Integer> {
    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "small-cnn-zoo")
    String format;

    @Parameters(index = "0", paramLabel = "URI", description = "zoo location")
    String zoo;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory for the three files")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default local[*])")
    String master;

    @Override
    public Integer call() {
        if (!format.equals("small-cnn-zoo")) {
            throw new BadInputException("--format " + format + ": unknown format, expected small-cnn-zoo");
        }
        Config c = ConfigFiles.load(null, List.of());
        SparkSession spark = SparkSessions.create("zoo export", c, master);
        try {
            SmallCnnExport.Result r = new SmallCnnExport(spark).run(zoo, out);
            System.out.printf("zoo %s written to %s: %d rows of %d parameters%n", zoo, out, r.rows(), r.columns());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
