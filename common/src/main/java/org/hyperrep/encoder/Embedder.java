package org.hyperrep.encoder;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Embeds rows with a trained encoder on Spark executors: each row's unaugmented weights go through the encoder in
 * batches and the row gains its embedding z as a new last column. The encoder is shipped once as a broadcast of
 * its model file and loaded once per executor JVM.
 */
public final class Embedder {
    /** The schema of the embeddings dataset that {@code hyperrep embed} writes (data-schemas/embeddings.schema.json). */
    public static final StructType SCHEMA = new StructType()
            .add("model_id", DataTypes.StringType, false)
            .add("epoch", DataTypes.IntegerType, false)
            .add("split", DataTypes.StringType, false)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    public static final int VERSION = 1;
    private static final int BATCH = 256;
    /**
     * The graph of the latest {@link #embed} call seen by this JVM, by that call's key. Keyed per call, not by the
     * broadcast's id: ids start again at 0 in every SparkContext, and one JVM (a sweep, a test suite) runs many
     * contexts one after another, so an id-keyed cache handed later calls the first call's encoder. One entry: a
     * long-lived JVM keeps one encoder's graph, not one per call.
     */
    private static final AtomicReference<Cached> LATEST = new AtomicReference<>();

    private record Cached(String key, ComputationGraph graph) {
    }

    private Embedder() {}

    /** The rows of {@code input} with a column {@code outputCol} (array of floats) appended. */
    public static Dataset<Row> embed(Dataset<Row> input, String weightsCol, String outputCol, Broadcast<byte[]> model) {
        StructType out = input.schema().add(outputCol, DataTypes.createArrayType(DataTypes.FloatType, false), false);
        int w = input.schema().fieldIndex(weightsCol);
        String key = UUID.randomUUID().toString();
        return input.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> embedPartition(rows, w, model, key),
                Encoders.row(out));
    }

    private static Iterator<Row> embedPartition(Iterator<Row> rows, int weightsIndex, Broadcast<byte[]> model, String key) {
        ComputationGraph graph = graph(key, model);
        List<Row> out = new ArrayList<>();
        List<Row> batch = new ArrayList<>(BATCH);
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == BATCH || !rows.hasNext()) {
                out.addAll(embedBatch(graph, batch, weightsIndex));
                batch.clear();
            }
        }
        return out.iterator();
    }

    private static List<Row> embedBatch(ComputationGraph graph, List<Row> batch, int weightsIndex) {
        int p = batch.get(0).getList(weightsIndex).size();
        float[] x = new float[batch.size() * p];
        for (int i = 0; i < batch.size(); i++) {
            List<Float> w = batch.get(i).getList(weightsIndex);
            for (int j = 0; j < p; j++) x[i * p + j] = w.get(j);
        }
        INDArray z;
        synchronized (graph) { // one graph per JVM; DL4J networks are not thread-safe
            z = HyperRepresentationModel.embed(graph, Nd4j.create(x, new long[]{batch.size(), p}, 'c'));
        }
        float[] zf = z.dup('c').data().asFloat();
        int d = (int) z.size(1);
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            Object[] values = new Object[r.size() + 1];
            for (int c = 0; c < r.size(); c++) values[c] = r.get(c);
            values[r.size()] = java.util.Arrays.copyOfRange(zf, i * d, (i + 1) * d);
            out.add(RowFactory.create(values));
        }
        return out;
    }

    private static ComputationGraph graph(String key, Broadcast<byte[]> model) {
        Cached c = LATEST.get();
        if (c != null && c.key().equals(key)) return c.graph();
        synchronized (LATEST) {
            c = LATEST.get();
            if (c == null || !c.key().equals(key)) {
                c = new Cached(key, load(model.value()));
                LATEST.set(c);
            }
            return c.graph();
        }
    }

    static ComputationGraph load(byte[] bytes) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the encoder", e);
        }
    }
}
