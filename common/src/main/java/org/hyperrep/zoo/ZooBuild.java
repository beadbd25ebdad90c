package org.hyperrep.zoo;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.hyperrep.config.ZooConfig;
import org.hyperrep.store.CheckpointSchema;
import org.hyperrep.store.CodeVersion;
import org.hyperrep.store.Provenance;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.hyperrep.zoo.data.Datasets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds or grows a zoo on Spark: plans the models, trains those the zoo does not hold yet (one Spark task per
 * model) in batches, and commits each batch atomically, so that a killed build loses at most the batch in flight
 * and a rerun trains exactly what is missing.
 */
public final class ZooBuild {
    private static final Logger LOG = LoggerFactory.getLogger(ZooBuild.class);
    /** Target size of one Parquet file of a batch. */
    private static final long BYTES_PER_FILE = 128L << 20;

    /** What a build did. */
    public record Result(String runId, int planned, int alreadyPresent, int trained, long rows) {
    }

    private final SparkSession spark;
    private final ZooConfig zoo;
    private final ZooStore store;
    private final int threadsPerTask;

    public ZooBuild(SparkSession spark, ZooConfig zoo, String out, int threadsPerTask) {
        this.spark = spark;
        this.zoo = zoo;
        this.store = new ZooStore(out);
        this.threadsPerTask = threadsPerTask;
    }

    /**
     * @param resolvedConfig the whole resolved config, recorded in the provenance
     * @param command        the command line, recorded in the provenance
     */
    public Result run(Object resolvedConfig, List<String> command) {
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        Provenance prov = Provenance.start("zoo build", runId, resolvedConfig, command);
        Architecture arch = Architectures.byName(zoo.architecture());
        // Load (and so validate) the data on the driver before anything is written; in local mode the executors
        // share this copy.
        ZooWorker.data(zoo.dataset());
        prov.input("dataset", Datasets.describeInputs(zoo.dataset()));

        List<ModelSpec> plan = ZooPlan.plan(zoo);
        ZooManifest fresh = manifest(arch, plan, List.of(), 0, 0);
        store.checkWritableFor(fresh);
        int discarded = store.discardStaging();
        if (discarded > 0) LOG.info("discarded {} uncommitted batch(es) of an earlier, interrupted build", discarded);
        ZooManifest before = store.readManifest().orElse(null);
        if (before == null) store.writeManifest(fresh);

        Set<String> present = store.committedModelIds(spark);
        List<ModelSpec> todo = plan.stream().filter(m -> !present.contains(m.modelId())).toList();
        int alreadyPresent = plan.size() - todo.size();
        LOG.info("zoo {}: {} models planned, {} already built, {} to train ({} checkpoints each)", zoo.name(),
                plan.size(), alreadyPresent, todo.size(), zoo.training().checkpointEpochs().size());
        LOG.info(ZooWorker.trainsPopulations(zoo)
                ? "training in populations of up to " + zoo.populationSize() + " models per task (plain Java, lockstep)"
                : "training one model per task (DL4J)");

        BuildProgress progress = new BuildProgress(todo.size(), zoo.training().epochs());
        LongAccumulator done = spark.sparkContext().longAccumulator("models trained");
        progress.attach(spark.sparkContext(), done);
        long rows = 0;
        long trainingStart = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try {
            int perBatch = zoo.modelsPerCommit();
            for (int b = 0; b * perBatch < todo.size(); b++) {
                List<ModelSpec> batch = todo.subList(b * perBatch, Math.min(todo.size(), (b + 1) * perBatch));
                Path staging = store.stagingPath(runId, b);
                spark.sparkContext().setJobDescription("zoo " + zoo.name() + ": batch " + (b + 1) + " ("
                        + batch.size() + " models)");
                JavaRDD<Row> trained = jsc.parallelize(batch, tasksFor(batch.size(), jsc.defaultParallelism()))
                        .mapPartitions(new ZooWorker(zoo, threadsPerTask, done));
                Dataset<Row> df = spark.createDataFrame(trained, CheckpointSchema.SCHEMA)
                        .repartition(filesFor(batch.size(), arch.parameterCount()));
                df.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
                store.commit(staging, runId, b);
                rows += (long) batch.size() * zoo.training().checkpointEpochs().size();
                LOG.info("committed batch {} ({} models)", b + 1, batch.size());
            }
        } finally {
            progress.detach(spark.sparkContext());
        }
        double trainingSeconds = (System.nanoTime() - trainingStart) / 1e9;
        int cores = spark.sparkContext().defaultParallelism();
        long modelEpochs = (long) todo.size() * Math.max(1, zoo.training().epochs());
        if (!todo.isEmpty()) {
            LOG.info(String.format("trained %d models in %.1f s: %.3g core-seconds per model-epoch (%.1f model-epochs per "
                    + "core-second) on %d cores (training, evaluation and commit)", todo.size(), trainingSeconds,
                    trainingSeconds * cores / modelEpochs, modelEpochs / (trainingSeconds * cores), cores));
        }
        prov.put("timing", Map.of("training_seconds", trainingSeconds, "cores", cores, "model_epochs", modelEpochs));

        long models = plan.size();
        long checkpoints = store.checkpoints(spark).count();
        Path provPath = new Path(store.provenanceDir(), "build-" + runId + ".json");
        prov.input("zoo_before", before == null ? "new" : Map.of("models", before.models(), "checkpoints",
                before.checkpoints()));
        prov.count("models_planned", plan.size()).count("models_already_present", alreadyPresent)
                .count("models_trained", todo.size()).count("rows_written", rows).count("checkpoints_in_zoo", checkpoints);
        prov.finishAndWrite(provPath);
        List<ZooManifest.BuildEntry> builds = new ArrayList<>(before == null ? List.of() : before.builds());
        builds.add(new ZooManifest.BuildEntry(runId, prov.started(), prov.ended(), plan.size(), todo.size(), rows,
                CodeVersion.describe(), "provenance/" + provPath.getName()));
        ZooManifest after = manifest(arch, plan, builds, store.committedModelIds(spark).size(), checkpoints);
        store.writeManifest(before == null ? after : merge(before, after));
        return new Result(runId, plan.size(), alreadyPresent, todo.size(), rows);
    }

    private ZooManifest manifest(Architecture arch, List<ModelSpec> plan, List<ZooManifest.BuildEntry> builds,
                                 long models, long checkpoints) {
        return new ZooManifest(ZooManifest.FORMAT, ZooManifest.FORMAT_VERSION, CheckpointSchema.VERSION, zoo.name(),
                zoo.architecture(), zoo.dataset(), zoo.training(), zoo.split(), arch.layout(), factorValues(plan),
                models, checkpoints, builds);
    }

    /** The union of the factor values of what was there before and what this build planned. */
    private static ZooManifest merge(ZooManifest before, ZooManifest after) {
        Map<String, List<Object>> values = new LinkedHashMap<>();
        for (String k : after.factorValues().keySet()) {
            Set<Object> all = new TreeSet<>(ZooBuild::compareFactorValues);
            all.addAll(before.factorValues().getOrDefault(k, List.of()));
            all.addAll(after.factorValues().get(k));
            values.put(k, new ArrayList<>(all));
        }
        return new ZooManifest(after.format(), after.formatVersion(), after.checkpointSchemaVersion(), after.name(),
                after.architecture(), after.dataset(), after.training(), after.split(), after.layout(), values,
                after.models(), after.checkpoints(), after.builds());
    }

    /**
     * The order of factor values in a manifest: numbers by value (a manifest read back from JSON may hold a seed as
     * an Integer where the plan holds a Long; both are the same value), anything else by its text.
     */
    static int compareFactorValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** The distinct values of every generating factor over {@code plan}, sorted, as the manifest lists them. */
    public static Map<String, List<Object>> factorValues(List<ModelSpec> plan) {
        Map<String, Set<Object>> v = new LinkedHashMap<>();
        for (ModelSpec m : plan) {
            GeneratingFactors f = m.factors();
            v.computeIfAbsent("seed", k -> new TreeSet<>()).add(f.seed());
            v.computeIfAbsent("activation", k -> new TreeSet<>()).add(f.activation());
            v.computeIfAbsent("init", k -> new TreeSet<>()).add(f.init());
            v.computeIfAbsent("optimizer", k -> new TreeSet<>()).add(f.optimizer());
            v.computeIfAbsent("learning_rate", k -> new TreeSet<>()).add(f.learningRate());
            v.computeIfAbsent("weight_decay", k -> new TreeSet<>()).add(f.weightDecay());
            v.computeIfAbsent("dropout", k -> new TreeSet<>()).add(f.dropout());
            v.computeIfAbsent("train_fraction", k -> new TreeSet<>()).add(f.trainFraction());
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        v.forEach((k, s) -> out.put(k, new ArrayList<>(s)));
        return out;
    }

    /**
     * Tasks for a batch of models: one per model, or for population training (dense architectures) populations of
     * at most {@code zoo.build.population-size} models, but never fewer tasks than cores while there are models
     * to spread over them.
     */
    int tasksFor(int models, int cores) {
        if (!ZooWorker.trainsPopulations(zoo)) return models;
        int byPopulation = (models + zoo.populationSize() - 1) / zoo.populationSize();
        return Math.max(1, Math.min(models, Math.max(byPopulation, cores)));
    }

    private int filesFor(int models, int params) {
        long bytes = (long) models * zoo.training().checkpointEpochs().size() * (params * 4L + 256);
        return (int) Math.max(1, Math.min(models, (bytes + BYTES_PER_FILE - 1) / BYTES_PER_FILE));
    }
}
