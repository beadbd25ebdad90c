package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.config.SweepSpec;
import org.hyperrep.probe.ProbeResult;
import org.hyperrep.probe.ProbeResults;
import org.hyperrep.report.EncoderLosses;
import org.hyperrep.report.EpochLosses;
import org.hyperrep.report.Report;
import org.hyperrep.report.ReportWriter;
import org.hyperrep.report.ResultsTable;
import org.hyperrep.report.ResultsTables;
import org.hyperrep.store.CodeVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hyperrep sweep}: the paper's ablations as one job. One zoo (the pipeline's); the baselines W, s(W) and
 * statistics+GBT probed once; per cell of {@code sweep.axes} a train → embed → probe run in {@code cells/NAME/}
 * with its own provenance. Every stage is idempotent, so a rerun skips finished cells. Ends with one comparison
 * table (targets as rows, baselines and cells as columns) in {@code comparison/}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a grid of encoder, augmentation and loss settings (conf/sweeps/*.conf) over one zoo: "
                + "train -> embed -> probe per cell, finished cells skipped, one comparison table at the end.")
final class SweepJob implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "sweep config (conf/sweeps/*.conf)")
    File config;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "sweep output location")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default: spark.master of the config)")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (every cell)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Config c = ConfigFiles.load(config, overrides);
        SweepSpec sweep = SweepSpec.from(c);
        RunJob.Layout at = RunJob.Layout.of(out, c);
        Path root = new Path(out);
        long start = System.nanoTime();
        System.out.printf("sweep of %d cells (%s): %s%n", sweep.cells().size(), sweep.mode(),
                sweep.cells().stream().map(SweepSpec.Cell::name).toList());
        Stages stages = new Stages(config, master);
        if (c.getString("pipeline.zoo").isEmpty() && Stages.run("zoo build", stages.zooBuild(at.zoo(), overrides)) != 0) {
            return 1;
        }
        String baselines = new Path(root, "baselines").toString();
        if (Stages.run("probe baselines", stages.probe(at.zoo(), List.of(), baselines, overrides)) != 0) return 1;

        List<String> columns = new ArrayList<>();
        List<ProbeResult> results = new ArrayList<>();
        Map<String, List<EpochLosses>> losses = new LinkedHashMap<>();
        for (SweepSpec.Cell cell : sweep.cells()) {
            Path dir = new Path(new Path(root, "cells"), cell.name());
            List<String> cellOverrides = new ArrayList<>(overrides);
            cellOverrides.addAll(cell.overrides());
            String encoder = new Path(dir, "encoder").toString();
            String embeddings = new Path(dir, "embeddings").toString();
            if (Stages.run(cell.name() + ": train", stages.train(at.zoo(), encoder, cellOverrides)) != 0) return 1;
            if (Stages.run(cell.name() + ": embed", stages.embed(at.zoo(), encoder, embeddings)) != 0) return 1;
            List<String> probeOverrides = new ArrayList<>(cellOverrides);
            probeOverrides.add("probe.baselines=false");
            if (Stages.run(cell.name() + ": probe", stages.probe(at.zoo(), List.of(embeddings + "=" + cell.name()),
                    new Path(dir, "probe").toString(), probeOverrides)) != 0) {
                return 1;
            }
            columns.add(cell.name());
            losses.put(cell.name(), EncoderLosses.read(encoder));
        }
        SparkSession spark = SparkSessions.create("sweep report", c, master);
        try {
            List<ProbeResult> baseResults = ProbeResults.read(spark, new Path(baselines, ProbeJob.RESULTS).toString());
            List<String> all = new ArrayList<>();
            baseResults.stream().map(ProbeResult::featureSet).distinct().forEach(all::add);
            results.addAll(baseResults);
            for (SweepSpec.Cell cell : sweep.cells()) {
                List<ProbeResult> cellResults = ProbeResults.read(spark, new Path(new Path(new Path(new Path(root,
                        "cells"), cell.name()), "probe"), ProbeJob.RESULTS).toString());
                // the cell's embedding, with each probe family and its concatenation with s(W)
                cellResults.stream().map(ProbeResult::featureSet).distinct().forEach(all::add);
                results.addAll(cellResults);
            }
            ResultsTable table = ResultsTables.of(all, results);
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("code_version", CodeVersion.describe());
            provenance.put("config", ConfigFiles.render(c.withOnlyPath("sweep")));
            Map<String, Object> cells = new LinkedHashMap<>();
            sweep.cells().forEach(cell -> cells.put(cell.name(), cell.overrides()));
            provenance.put("cells", cells);
            var written = ReportWriter.write(new Path(root, "comparison").toUri(), new Report(
                    "hyperrep sweep " + config.getName() + ": baselines and " + columns.size() + " cells", table,
                    null, null, losses, provenance));
            System.out.println(table.toMarkdown());
            System.out.printf("sweep done in %.0f s: %s%n", (System.nanoTime() - start) / 1e9, written.html());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
