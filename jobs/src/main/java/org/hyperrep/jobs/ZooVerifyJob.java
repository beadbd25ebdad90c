package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.store.ZooStore;
import org.hyperrep.store.ZooVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code hyperrep zoo verify}: a report per committed batch; {@code --repair} quarantines the bad ones. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every committed batch of a zoo: Parquet readable end to end (checksums where the file "
                + "system keeps them), schema, one row per model and checkpoint epoch, weight vector length, no "
                + "model in two batches. Exit code 0 when every batch is good (or was repaired), 1 when bad "
                + "batches remain, 2 when there is no zoo.",
                "--repair moves bad batches to URI/quarantine/ (never deletes); the next zoo build with the zoo's "
                + "config retrains exactly their models."})
final class ZooVerifyJob implements Callable<Integer> {
    /** Exit code when bad batches are found and left in place. */
    static final int BAD_BATCHES = 1;

    @Parameters(index = "0", paramLabel = "URI", description = "zoo location")
    String zoo;

    @Option(names = "--repair", description = "move bad batches to URI/quarantine/ so that the next build retrains them")
    boolean repair;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default local[*])")
    String master;

    @Override
    public Integer call() {
        ZooStore store = new ZooStore(zoo);
        String name = store.requireManifest().name();
        Config c = ConfigFiles.load(null, List.of());
        SparkSession spark = SparkSessions.create("zoo verify", c, master);
        ZooVerifier.Report report;
        try {
            report = ZooVerifier.verify(spark, store);
        } finally {
            spark.stop();
        }
        System.out.print(table(report));
        List<ZooVerifier.BatchReport> bad = report.bad();
        System.out.printf(Locale.ROOT, "zoo %s at %s: %d batches, %d good, %d bad%s%n", name, zoo,
                report.batches().size(), report.batches().size() - bad.size(), bad.size(),
                report.completenessChecked() ? "" : " (imported zoo: epochs per model not checked)");
        if (bad.isEmpty()) return 0;
        if (!repair) {
            System.out.printf("to move the bad batches out of the zoo (nothing is deleted) and retrain their models: "
                    + "hyperrep zoo verify %s --repair, then hyperrep zoo build with the zoo's config%n", zoo);
            return BAD_BATCHES;
        }
        List<Path> moved = ZooVerifier.repair(store, report);
        System.out.printf("moved %d batches to %s; the next hyperrep zoo build --config <the zoo's config> --out %s "
                + "retrains their models%n", moved.size(), new Path(store.root(), ZooVerifier.QUARANTINE), zoo);
        return 0;
    }

    static String table(ZooVerifier.Report r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-44s %5s %7s %7s  %s%n", "batch", "files",
                "models", "rows", "status"));
        for (ZooVerifier.BatchReport b : r.batches()) {
            String models = b.models().isEmpty() && !b.ok() ? "-" : String.valueOf(b.models().size());
            String rows = b.rows() == 0 && !b.ok() ? "-" : String.valueOf(b.rows());
            s.append(String.format(Locale.ROOT, "%-44s %5d %7s %7s  %s%n", b.batch(), b.files(), models, rows,
                    b.ok() ? "ok" : String.join("; ", b.problems())));
        }
        return s.toString();
    }
}
