package org.hyperrep.jobs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code hyperrep demo}: {@code run} with the Tetris demo pipeline, then the results table and the report's path. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the Tetris demo pipeline (conf/pipelines/tetris-demo.conf) end to end on Spark's embedded "
                + "local mode: build a small zoo, train an encoder, embed, probe; print the results table.")
final class DemoJob implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "hyperrep-out/demo",
            description = "output folder (default: ${DEFAULT-VALUE})")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default local[*])")
    String master;

    @Override
    public Integer call() throws Exception {
        RunJob run = new RunJob();
        run.config = new File(System.getProperty("hyperrep.home", "."), "conf/pipelines/tetris-demo.conf");
        run.out = out;
        run.master = master;
        Path probe = Path.of(out, "probe");
        Path report = probe.resolve("report.md");
        long reportBefore = Files.exists(report) ? Files.getLastModifiedTime(report).toMillis() : -1;
        int code = run.call();
        if (code != 0) return code;
        // the probe stage prints the table when it runs; when it had nothing to do, print the existing one
        if (Files.getLastModifiedTime(report).toMillis() != reportBefore) return 0;
        boolean inTable = false;
        for (String line : Files.readAllLines(report)) {
            if (line.startsWith("|")) {
                inTable = true;
                System.out.println(line);
            } else if (inTable) {
                break;
            }
        }
        System.out.println("report: " + probe.resolve("report.html").toAbsolutePath());
        return 0;
    }
}
