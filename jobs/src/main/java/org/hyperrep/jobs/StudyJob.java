package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.hadoop.fs.Path;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.config.StudyConfig;
import org.hyperrep.probe.ProbeResults;
import org.hyperrep.report.EncoderLosses;
import org.hyperrep.report.EpochLosses;
import org.hyperrep.report.ReportOptions;
import org.hyperrep.report.ScalingStudy;
import org.hyperrep.store.CodeVersion;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hyperrep study}: a scaling study (docs/scaling-study.md). One zoo, built once (or {@code pipeline.zoo});
 * for each size of {@code study.sizes}, the baselines probed on the nested subset of that many train and validation
 * models, and per encoder seed an encoder trained on the subset, the zoo embedded and the embedding probed; every
 * probe scored on the zoo's test models. Outputs under {@code --out}: {@code zoo/}, {@code n<size>/baselines/},
 * {@code n<size>/seed<s>/{encoder,embeddings,probe}/}, and the summary {@code study.md}, {@code study.csv},
 * {@code study-<target>.png}, {@code _provenance.json}. Every stage is idempotent, so a rerun resumes.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Scaling study (conf/studies/*.conf): probes of W, s(W), statistics and embeddings against the "
                + "number of models in nested subsets of one zoo, several encoder seeds per size.")
final class StudyJob implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "study config (conf/studies/*.conf)")
    File config;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "study output location")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default: spark.master of the config)")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Config c = ConfigFiles.load(config, overrides);
        StudyConfig study = StudyConfig.from(c);
        Path root = new Path(out);
        String zoo = c.getString("pipeline.zoo").isEmpty() ? new Path(root, "zoo").toString() : c.getString("pipeline.zoo");
        String name = c.getString("pipeline.embedding-name");
        Provenance prov = Provenance.start("study", CodeVersion.describe(), c.root().unwrapped(), command());
        Stages stages = new Stages(config, master);
        long start = System.nanoTime();
        if (c.getString("pipeline.zoo").isEmpty() && Stages.run("zoo build", stages.zooBuild(zoo, overrides)) != 0) return 1;
        prov.input("zoo", zoo);

        List<ScalingStudy.Run> runs = new ArrayList<>();
        List<ScalingStudy.Reconstruction> reconstructions = new ArrayList<>();
        for (int i = 0; i < study.sizes().size(); i++) {
            int n = study.sizes().get(i);
            Path size = new Path(root, String.format(Locale.ROOT, "n%05d", n));
            List<String> sized = new ArrayList<>(overrides);
            sized.add("subset.models=" + n);
            String baselines = new Path(size, "baselines").toString();
            List<String> baselineSet = with(sized, "probe.baselines=true");
            if (Stages.run(n + " models: baselines", stages.probe(zoo, List.of(), baselines, baselineSet)) != 0) return 1;
            runs.add(new ScalingStudy.Run(n, null, ProbeResults.readCsv(results(baselines))));
            for (long seed : study.encoderSeeds()) {
                Path cell = new Path(size, "seed" + seed);
                List<String> cellSet = with(sized, "encoder.training.seed=" + seed);
                if (!study.encoderEpochs().isEmpty()) cellSet.add("encoder.training.epochs=" + study.encoderEpochs().get(i));
                String encoder = new Path(cell, "encoder").toString(), embeddings = new Path(cell, "embeddings").toString();
                String probe = new Path(cell, "probe").toString();
                String label = n + " models, seed " + seed + ": ";
                if (Stages.run(label + "train", stages.train(zoo, encoder, cellSet)) != 0) return 1;
                if (Stages.run(label + "embed", stages.embed(zoo, encoder, embeddings)) != 0) return 1;
                if (Stages.run(label + "probe", stages.probe(zoo, List.of(embeddings + "=" + name), probe,
                        with(cellSet, "probe.baselines=false"))) != 0) {
                    return 1;
                }
                runs.add(new ScalingStudy.Run(n, seed, ProbeResults.readCsv(results(probe))));
                List<EpochLosses> curve = EncoderLosses.read(encoder);
                if (!curve.isEmpty()) {
                    EpochLosses last = curve.get(curve.size() - 1);
                    reconstructions.add(new ScalingStudy.Reconstruction(n, seed, last.trainReconstructionR2(),
                            last.validationReconstructionR2()));
                }
            }
        }
        List<ScalingStudy.Point> points = ScalingStudy.summarize(runs);
        String markdown = ScalingStudy.toMarkdown(points, reconstructions);
        HadoopFiles.writeTextAtomically(new Path(root, "study.md"), "# Scaling study: " + c.getString("zoo.name")
                + "\n\nTest metric per zoo size (train + validation models), mean over encoder seeds "
                + study.encoderSeeds() + " with (min–max); baselines do not depend on the encoder seed.\n\n" + markdown);
        HadoopFiles.writeTextAtomically(new Path(root, "study.csv"), ScalingStudy.toCsv(points));
        Set<String> targets = new LinkedHashSet<>();
        points.forEach(p -> targets.add(p.target()));
        for (String target : targets) {
            byte[] png = ScalingStudy.plot(points, target, ReportOptions.defaults());
            Path at = new Path(root, "study-" + target + ".png");
            try (OutputStream o = HadoopFiles.fs(at).create(at, true)) {
                o.write(png);
            }
        }
        prov.count("runs", runs.size()).count("points", points.size());
        prov.finishAndWrite(new Path(root, "_provenance.json"));
        System.out.println(markdown);
        System.out.printf(Locale.ROOT, "study done in %.0f s: %s%n", (System.nanoTime() - start) / 1e9,
                new Path(root, "study.md"));
        return 0;
    }

    private static String results(String probeRun) {
        return new Path(probeRun, ProbeJob.RESULTS + ".csv").toString();
    }

    private static List<String> with(List<String> overrides, String more) {
        List<String> out = new ArrayList<>(overrides);
        out.add(more);
        return out;
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>(List.of("study", "--config", config.getPath(), "--out", out));
        overrides.forEach(o -> cmd.addAll(List.of("--set", o)));
        return cmd;
    }
}
