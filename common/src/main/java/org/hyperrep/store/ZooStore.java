package org.hyperrep.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A zoo on a Hadoop file system:
 * <pre>
 * zoo.json                      manifest ({@link ZooManifest})
 * checkpoints/batch-RUN-NNNNN/  committed Parquet, complete models only
 * _staging/RUN-NNNNN/           a batch being written (never read)
 * provenance/build-RUN.json     one record per build (import-RUN.json per import)
 * </pre>
 * A zoo imported from the Small CNN Zoo format also holds {@code small-cnn-zoo.json} and, inside each batch,
 * {@code _small-cnn-zoo/} (see {@link org.hyperrep.store.smallcnn.SmallCnnSource}); Spark skips names starting
 * with '_', so checkpoint readers never see it.
 * A batch becomes visible by one directory rename, so a reader (or a crash) never sees part of a batch, and a
 * model is either wholly committed or absent. Which models a zoo holds is read from {@code checkpoints/} itself,
 * never from a separate list that a crash could leave out of date.
 */
public final class ZooStore {
    public static final String MANIFEST = "zoo.json";

    private final Path root;

    public ZooStore(String uri) {
        this.root = new Path(uri);
    }

    public Path root() { return root; }
    public Path manifestPath() { return new Path(root, MANIFEST); }
    public Path checkpointsDir() { return new Path(root, "checkpoints"); }
    public Path stagingDir() { return new Path(root, "_staging"); }
    public Path provenanceDir() { return new Path(root, "provenance"); }

    /** The manifest, or empty when there is no zoo here yet. */
    public Optional<ZooManifest> readManifest() {
        Path m = manifestPath();
        if (!HadoopFiles.exists(m)) return Optional.empty();
        try {
            return Optional.of(Json.MAPPER.readValue(HadoopFiles.readText(m), ZooManifest.class));
        } catch (JsonProcessingException e) {
            throw new BadInputException("zoo manifest " + m + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    /** The manifest of an existing zoo; a clear error when the location holds none. */
    public ZooManifest requireManifest() {
        return readManifest().orElseThrow(() -> new BadInputException("no zoo at " + root + " (" + manifestPath()
                + " does not exist)"));
    }

    public void writeManifest(ZooManifest manifest) {
        try {
            HadoopFiles.writeTextAtomically(manifestPath(), Json.MAPPER.writeValueAsString(manifest));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes sure a build may write here: an empty or missing location, or a zoo whose identity matches
     * {@code fresh}. Refuses a location holding anything else, and a zoo built with another recipe, without writing.
     */
    public void checkWritableFor(ZooManifest fresh) {
        FileSystem fs = HadoopFiles.fs(root);
        try {
            if (fs.exists(root)) {
                if (!fs.getFileStatus(root).isDirectory()) {
                    throw new BadInputException("output " + root + " is a file, not a zoo directory");
                }
                Optional<ZooManifest> existing = readManifest();
                if (existing.isEmpty()) {
                    FileStatus[] children = fs.listStatus(root);
                    if (children.length > 0) {
                        throw new BadInputException("output " + root + " is not empty and holds no zoo ("
                                + children[0].getPath().getName() + " and " + (children.length - 1)
                                + " more entries, no " + MANIFEST + "): choose another --out");
                    }
                } else {
                    Map<String, Object> had = existing.get().identity();
                    for (Map.Entry<String, Object> e : fresh.identity().entrySet()) {
                        if (!e.getValue().equals(had.get(e.getKey()))) {
                            throw new BadInputException("zoo at " + root + " was built with " + e.getKey() + " = "
                                    + had.get(e.getKey()) + " but the config has " + e.getValue()
                                    + ": build a different zoo into another --out");
                        }
                    }
                    if (!existing.get().layout().equals(fresh.layout())) {
                        throw new BadInputException("zoo at " + root + " has a different weight layout");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect " + root, e);
        }
    }

    /** Removes batches that a killed build left in staging: they were never visible and will be trained again. */
    public int discardStaging() {
        FileSystem fs = HadoopFiles.fs(root);
        try {
            if (!fs.exists(stagingDir())) return 0;
            int n = fs.listStatus(stagingDir()).length;
            fs.delete(stagingDir(), true);
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + stagingDir(), e);
        }
    }

    public Path stagingPath(String runId, int batch) {
        return new Path(stagingDir(), String.format("%s-%05d", runId, batch));
    }

    /** Publishes a fully written staging directory as a batch of the zoo with one atomic rename. */
    public Path commit(Path staging, String runId, int batch) {
        Path target = new Path(checkpointsDir(), String.format("batch-%s-%05d", runId, batch));
        FileSystem fs = HadoopFiles.fs(root);
        try {
            fs.mkdirs(checkpointsDir());
            if (!fs.rename(staging, target)) {
                throw new IOException("rename of " + staging + " to " + target + " failed");
            }
            FileStatus[] left = fs.listStatus(stagingDir());
            if (left.length == 0) fs.delete(stagingDir(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit batch " + staging, e);
        }
        return target;
    }

    /** All committed checkpoint rows (empty with the right schema when nothing is committed yet). */
    public Dataset<Row> checkpoints(SparkSession spark) {
        if (!HadoopFiles.exists(checkpointsDir())) {
            return spark.createDataFrame(java.util.List.of(), CheckpointSchema.SCHEMA);
        }
        return spark.read().schema(CheckpointSchema.SCHEMA).option("recursiveFileLookup", "true")
                .parquet(checkpointsDir().toString());
    }

    /** Ids of the models whose checkpoints are committed. */
    public Set<String> committedModelIds(SparkSession spark) {
        Set<String> ids = new HashSet<>();
        for (Row r : checkpoints(spark).select("model_id").distinct().collectAsList()) ids.add(r.getString(0));
        return ids;
    }
}
