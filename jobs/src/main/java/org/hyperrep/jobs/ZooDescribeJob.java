package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.zoo.ZooDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code hyperrep zoo describe}: what a zoo holds. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Rows per status, epoch and split, the factor values, and the accuracy distribution of a zoo.")
final class ZooDescribeJob implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URI", description = "zoo location")
    String zoo;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default local[*])")
    String master;

    @Override
    public Integer call() {
        Config c = ConfigFiles.load(null, List.of());
        SparkSession spark = SparkSessions.create("zoo describe", c, master);
        try {
            System.out.print(ZooDescription.of(spark, zoo));
            return 0;
        } finally {
            spark.stop();
        }
    }
}
