package org.hyperrep.store.smallcnn;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.DatasetSpec;
import org.hyperrep.config.SplitSpec;
import org.hyperrep.config.TrainingSpec;
import org.hyperrep.store.CheckpointSchema;
import org.hyperrep.store.CodeVersion;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Provenance;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.Checkpoint;
import org.hyperrep.zoo.ModelSpec;
import org.hyperrep.zoo.ZooBuild;
import org.hyperrep.zoo.ZooPlan;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Imports a Small CNN Zoo directory ({@code weights.npy}, {@code metrics.csv.gz}, {@code layout.csv}; Unterthiner
 * et al. 2020) as a hyperrep zoo of architecture {@code cnn-unterthiner}: the manifest, the checkpoint rows (weights
 * converted to the canonical layout, see {@link SmallCnnLayout}; factors, epoch and metrics, see
 * {@link SmallCnnRecord}), what an exact export needs ({@link SmallCnnSource}) and a provenance record. Every
 * stage that reads a built zoo reads an imported one.
 *
 * <p>Everything is validated before anything is written (row counts of weights.npy and metrics.csv.gz, columns,
 * layout). A model is one {@code modeldir}; its id is {@link ZooPlan#contentId} of (zoo, architecture, data set,
 * modeldir) and its split {@link ZooPlan#split} of that id. Models are committed in batches exactly as a build
 * commits them (staging, then one rename), so a killed import loses at most the batch in flight and a rerun imports
 * only the models that are missing. weights.npy is read row by row, never whole: the published zoos are
 * 270,000 × 4970 floats. A row with a NaN or infinite weight is kept with status {@code diverged} and NaN metrics,
 * like a diverged model of a build (the source's own metrics for it are kept for the export).
 */
public final class SmallCnnImport {
    private static final Logger LOG = LoggerFactory.getLogger(SmallCnnImport.class);
    public static final String ARCHITECTURE = "cnn-unterthiner";
    public static final String WEIGHTS = "weights.npy";
    /** The minibatch size of train_network.py (flag batchsize, default 512); not recorded in metrics.csv.gz. */
    static final int SOURCE_BATCH_SIZE = 512;

    /** How to import: the zoo's name, the split of its models, models per committed batch. */
    public record Options(String name, SplitSpec split, int modelsPerCommit) {
        public Options {
            if (modelsPerCommit <= 0) throw new org.hyperrep.config.BadInputException("models per commit must be > 0");
            if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
                throw new org.hyperrep.config.BadInputException("zoo name '" + name
                        + "': use letters, digits, '.', '_' and '-'");
            }
        }
    }

    /** What an import did. */
    public record Result(String runId, String name, int models, int alreadyPresent, int imported, long rows,
                         long divergedRows) {
    }

    private final SparkSession spark;
    private final Options options;

    public SmallCnnImport(SparkSession spark, Options options) {
        this.spark = spark;
        this.options = options;
    }

    /**
     * @param dir    the Small CNN Zoo directory (local path or Hadoop URI)
     * @param out    the zoo location
     * @param config the resolved config, recorded in the provenance
     */
    public Result run(String dir, String out, Object config, List<String> command) {
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        Provenance prov = Provenance.start("zoo import", runId, config, command);
        Architecture arch = Architectures.byName(ARCHITECTURE);
        WeightLayout canonical = arch.layout();
        Path root = new Path(dir);
        Path weightsPath = new Path(root, WEIGHTS);
        Path metricsPath = new Path(root, SmallCnnMetrics.FILE);
        Path layoutPath = new Path(root, SmallCnnLayout.FILE);
        if (!HadoopFiles.exists(root)) throw new SmallCnnFormatException("no Small CNN Zoo directory at " + root);

        // 1. read and validate everything that is small, and the header of weights.npy
        SmallCnnLayout layout = SmallCnnLayout.read(layoutPath, canonical);
        SmallCnnMetrics metrics = SmallCnnMetrics.read(metricsPath);
        try (NpyFloatMatrix weights = NpyFloatMatrix.open(weightsPath)) {
            if (weights.cols() != canonical.size()) {
                throw new SmallCnnFormatException(weightsPath + " has " + weights.cols() + " columns; "
                        + ARCHITECTURE + " has " + canonical.size() + " parameters");
            }
            if (weights.rows() != metrics.rows()) {
                throw new SmallCnnFormatException(weightsPath + " has " + weights.rows() + " rows but "
                        + metricsPath + " has " + metrics.rows() + ": row i of one must describe row i of the other");
            }
            List<SmallCnnRecord> records = new ArrayList<>(metrics.rows());
            for (int i = 0; i < metrics.rows(); i++) records.add(SmallCnnRecord.of(metrics, i));
            if (records.isEmpty()) throw new SmallCnnFormatException(metricsPath + " has no rows");
            String tfds = records.get(0).dataset();
            for (SmallCnnRecord r : records) {
                if (!r.dataset().equals(tfds)) {
                    throw new SmallCnnFormatException(metricsPath + " row " + r.row() + ", column config.dataset: '"
                            + r.dataset() + "' but row 0 has '" + tfds + "'; a zoo holds one data set");
                }
            }
            String dataset = SmallCnnRecord.hyperrepDataset(tfds);
            String name = options.name() != null ? options.name() : ("small-cnn-zoo-" + dataset)
                    .replaceAll("[^A-Za-z0-9._-]", "-");
            Map<String, List<SmallCnnRecord>> byModel = groupByModel(records, metricsPath);

            // 2. the zoo's identity
            int epochs = 0;
            Set<Integer> steps = new TreeSet<>();
            for (SmallCnnRecord r : records) {
                epochs = Math.max(epochs, Math.max(r.epochs(), r.epoch()));
                steps.add(r.epoch());
            }
            DatasetSpec ds = new DatasetSpec(dataset, dir, 1.0, 0, 0, 0, 0);
            TrainingSpec training = new TrainingSpec(epochs, List.copyOf(steps), SOURCE_BATCH_SIZE, 0);
            List<ModelSpec> models = new ArrayList<>(byModel.size());
            Map<String, String> modeldirById = new java.util.HashMap<>();
            for (Map.Entry<String, List<SmallCnnRecord>> e : byModel.entrySet()) {
                String id = ZooPlan.contentId(String.join("|", "zoo=" + name, "arch=" + ARCHITECTURE,
                        "data=" + dataset, "source=small-cnn-zoo", "modeldir=" + e.getKey()));
                models.add(new ModelSpec(id, ZooPlan.split(id, options.split()), e.getValue().get(0).factors()));
                modeldirById.put(id, e.getKey());
            }
            ZooStore store = new ZooStore(out);
            ZooManifest fresh = manifest(name, ds, training, canonical, models, List.of(), 0, 0);
            store.checkWritableFor(fresh);
            SmallCnnSource.Description description = new SmallCnnSource.Description("small-cnn-zoo",
                    metrics.header(), root.toString());
            SmallCnnSource.readDescription(store).ifPresent(had -> {
                if (!had.metricsHeader().equals(metrics.header())) {
                    throw new SmallCnnFormatException("zoo at " + out + " was imported from files with the metrics "
                            + "columns " + had.metricsHeader() + "; " + metricsPath + " has " + metrics.header());
                }
            });
            prov.input("small_cnn_zoo", Map.of("dir", root.toString(), "files", Map.of(
                    SmallCnnLayout.FILE, identity(layoutPath, true), SmallCnnMetrics.FILE, identity(metricsPath, true),
                    WEIGHTS, identity(weightsPath, false))));

            // 3. write: nothing above has written anything
            int discarded = store.discardStaging();
            if (discarded > 0) LOG.info("discarded {} uncommitted batch(es) of an interrupted import", discarded);
            ZooManifest before = store.readManifest().orElse(null);
            if (before == null) store.writeManifest(fresh);
            SmallCnnSource.writeDescription(store, description);
            Set<String> present = store.committedModelIds(spark);
            List<ModelSpec> todo = models.stream().filter(m -> !present.contains(m.modelId())).toList();
            LOG.info("zoo {}: {} models ({} rows) in {}, {} already imported, {} to import", name, models.size(),
                    records.size(), root, models.size() - todo.size(), todo.size());

            long rows = 0, diverged = 0;
            int per = options.modelsPerCommit();
            float[] source = new float[canonical.size()];
            for (int b = 0; b * per < todo.size(); b++) {
                List<ModelSpec> batch = todo.subList(b * per, Math.min(todo.size(), (b + 1) * per));
                List<Row> checkpointRows = new ArrayList<>();
                List<Row> sourceRows = new ArrayList<>();
                for (ModelSpec m : batch) {
                    for (SmallCnnRecord r : byModel.get(modeldirById.get(m.modelId()))) {
                        weights.readRow(r.row(), source);
                        float[] w = layout.toCanonical(source);
                        boolean finite = allFinite(w);
                        Checkpoint c = new Checkpoint(r.epoch(), finite ? Checkpoint.Status.OK
                                : Checkpoint.Status.DIVERGED, finite ? r.metrics() : Checkpoint.Metrics.NAN, w);
                        if (!finite) diverged++;
                        checkpointRows.add(CheckpointSchema.toRow(name, ARCHITECTURE, dataset, m, c));
                        sourceRows.add(RowFactory.create(m.modelId(), r.epoch(), (long) r.row(),
                                Arrays.asList(metrics.fields(r.row()))));
                    }
                }
                Path staging = store.stagingPath(runId, b);
                spark.sparkContext().setJobDescription("import " + name + ": batch " + (b + 1));
                spark.createDataFrame(checkpointRows, CheckpointSchema.SCHEMA).coalesce(1).write()
                        .mode(SaveMode.ErrorIfExists).parquet(staging.toString());
                spark.createDataFrame(sourceRows, SmallCnnSource.SCHEMA).coalesce(1).write()
                        .mode(SaveMode.ErrorIfExists).parquet(new Path(staging, SmallCnnSource.BATCH_SUBDIR).toString());
                store.commit(staging, runId, b);
                rows += checkpointRows.size();
                LOG.info("committed batch {} ({} models, {} of {} to import)", b + 1, batch.size(),
                        Math.min(todo.size(), (b + 1) * per), todo.size());
            }

            long checkpoints = store.checkpoints(spark).count();
            Path provPath = new Path(store.provenanceDir(), "import-" + runId + ".json");
            prov.count("models_in_source", models.size()).count("models_already_present", models.size() - todo.size())
                    .count("models_imported", todo.size()).count("rows_written", rows)
                    .count("diverged_rows_written", diverged).count("checkpoints_in_zoo", checkpoints);
            prov.finishAndWrite(provPath);
            List<ZooManifest.BuildEntry> builds = new ArrayList<>(before == null ? List.of() : before.builds());
            builds.add(new ZooManifest.BuildEntry(runId, prov.started(), prov.ended(), models.size(), todo.size(), rows,
                    CodeVersion.describe(), "provenance/" + provPath.getName()));
            store.writeManifest(manifest(name, ds, training, canonical, models, builds,
                    store.committedModelIds(spark).size(), checkpoints));
            return new Result(runId, name, models.size(), models.size() - todo.size(), todo.size(), rows, diverged);
        }
    }

    /** Rows per modeldir, in order of first appearance; a step twice for one model, or factors that change, refused. */
    private static Map<String, List<SmallCnnRecord>> groupByModel(List<SmallCnnRecord> records, Path file) {
        Map<String, List<SmallCnnRecord>> byModel = new LinkedHashMap<>();
        for (SmallCnnRecord r : records) {
            List<SmallCnnRecord> rs = byModel.computeIfAbsent(r.modeldir(), k -> new ArrayList<>());
            for (SmallCnnRecord other : rs) {
                if (other.step() == r.step()) {
                    throw new SmallCnnFormatException(file + " rows " + other.row() + " and " + r.row() + ": model "
                            + r.modeldir() + " has step " + r.step() + " twice");
                }
            }
            if (!rs.isEmpty() && !rs.get(0).factors().equals(r.factors())) {
                throw new SmallCnnFormatException(file + " row " + r.row() + ": model " + r.modeldir()
                        + " has other config.* values than at row " + rs.get(0).row());
            }
            rs.add(r);
        }
        return byModel;
    }

    private static boolean allFinite(float[] w) {
        for (float v : w) if (!Float.isFinite(v)) return false;
        return true;
    }

    private ZooManifest manifest(String name, DatasetSpec ds, TrainingSpec training, WeightLayout layout,
                                        List<ModelSpec> models, List<ZooManifest.BuildEntry> builds, long committed,
                                        long checkpoints) {
        return new ZooManifest(ZooManifest.FORMAT, ZooManifest.FORMAT_VERSION, CheckpointSchema.VERSION, name,
                ARCHITECTURE, ds, training, options.split(), layout, ZooBuild.factorValues(models),
                committed, checkpoints, builds);
    }

    /** Size and modification time; the SHA-256 too for the small files (hashing 5 GB of weights takes minutes). */
    private static Map<String, Object> identity(Path p, boolean hash) {
        try {
            FileStatus s = HadoopFiles.fs(p).getFileStatus(p);
            Map<String, Object> id = new LinkedHashMap<>();
            id.put("path", p.toString());
            id.put("bytes", s.getLen());
            id.put("modified", Instant.ofEpochMilli(s.getModificationTime()).toString());
            if (hash) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (InputStream in = HadoopFiles.fs(p).open(p)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                }
                id.put("sha256", HexFormat.of().formatHex(md.digest()));
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
