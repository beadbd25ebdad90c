package org.hyperrep.encoder;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * An encoder on a Hadoop file system:
 * <pre>
 * model.zip               the trained ComputationGraph (DL4J's model format)
 * encoder.json            config, layout, zoo identity, provenance, per-epoch losses
 * checkpoint/last.zip     the graph with its updater state after the last finished epoch (for resuming)
 * checkpoint/state.json   epoch, learning rate, plateau state and loss history at that point
 * </pre>
 * Every file is written to a temporary name and renamed, so a crash leaves the previous version intact.
 */
public final class EncoderStore {
    public static final String MODEL = "model.zip";
    public static final String RECORD = "encoder.json";

    private final Path root;

    public EncoderStore(String uri) { this.root = new Path(uri); }

    public Path root() { return root; }
    public Path modelPath() { return new Path(root, MODEL); }
    public Path recordPath() { return new Path(root, RECORD); }
    Path checkpointModel() { return new Path(root, "checkpoint/last.zip"); }
    Path checkpointState() { return new Path(root, "checkpoint/state.json"); }

    public boolean isFinished() { return HadoopFiles.exists(modelPath()) && HadoopFiles.exists(recordPath()); }

    public void writeGraph(Path p, ComputationGraph graph, boolean withUpdater) {
        Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp-" + System.nanoTime());
        try {
            FileSystem fs = HadoopFiles.fs(p);
            fs.mkdirs(p.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                ModelSerializer.writeModel(graph, out, withUpdater);
                out.hsync();
            }
            HadoopFiles.replace(tmp, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    public static ComputationGraph readGraph(Path p, boolean withUpdater) {
        try (InputStream in = HadoopFiles.fs(p).open(p)) {
            return restore(in, p, withUpdater);
        } catch (java.io.FileNotFoundException e) {
            throw new org.hyperrep.config.BadInputException("no encoder model at " + p, e);
        } catch (IOException e) {
            throw corrupt(p, e);
        }
    }

    /** The model in {@code bytes}, read earlier from {@code source} (named in the error when they are damaged). */
    public static ComputationGraph readGraph(byte[] bytes, Path source) {
        return restore(new java.io.ByteArrayInputStream(bytes), source, false);
    }

    private static ComputationGraph restore(InputStream in, Path source, boolean withUpdater) {
        try {
            return ModelSerializer.restoreComputationGraph(in, withUpdater);
        } catch (IOException | RuntimeException e) {
            throw corrupt(source, e);
        }
    }

    private static org.hyperrep.config.BadInputException corrupt(Path p, Exception e) {
        return new org.hyperrep.config.BadInputException("cannot read the encoder model " + p + ": truncated or "
                + "corrupt (" + e + ")", e);
    }

    /** The trained encoder. */
    public ComputationGraph readModel() {
        if (!HadoopFiles.exists(modelPath())) {
            throw new org.hyperrep.config.BadInputException("no trained encoder at " + root + " (" + modelPath()
                    + " does not exist)");
        }
        return readGraph(modelPath(), false);
    }

    public void writeJson(Path p, Object value) {
        try {
            HadoopFiles.writeTextAtomically(p, Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> readRecord() {
        try {
            return Json.MAPPER.readValue(HadoopFiles.readText(recordPath()), Map.class);
        } catch (JsonProcessingException e) {
            throw new org.hyperrep.config.BadInputException(recordPath() + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
