package org.hyperrep.encoder;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.hyperrep.LocalSpark;
import org.hyperrep.weights.WeightLayout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Embedding through Spark gives the encoder's own output, also for the second encoder of a JVM. */
class EmbedderTest {
    private static final WeightLayout LAYOUT = EncoderFixtures.tetris();
    private static final StructType SCHEMA = new StructType().add("model_id", DataTypes.StringType, false)
            .add("weights", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    @Test
    void eachSparkContextEmbedsWithItsOwnEncoder() throws IOException {
        // A sweep runs one SparkContext per stage in one JVM, and broadcast ids start again at 0 in each: an
        // embedder that cached graphs by broadcast id gave every cell the first cell's embeddings.
        float[][] weights = weights(6, 3);
        ComputationGraph first = graph(1), second = graph(2);
        float[][] viaSparkFirst = embedInNewContext(first, weights);
        float[][] viaSparkSecond = embedInNewContext(second, weights);
        float[][] direct = direct(second, weights);
        assertFalse(java.util.Arrays.equals(viaSparkFirst[0], viaSparkSecond[0]), "two encoders, two embeddings");
        for (int i = 0; i < weights.length; i++) assertArrayEquals(direct[i], viaSparkSecond[i], 1e-6f, "row " + i);
    }

    private static ComputationGraph graph(long seed) {
        EncoderSpec base = EncoderFixtures.tiny(0.5);
        EncoderSpec spec = new EncoderSpec(base.dModel(), base.heads(), base.blocks(), base.ffDim(), base.latentDim(),
                base.dropout(), base.projection(), base.gamma(), base.tau(), base.normalizeReconstructionPerLayer(),
                seed, base.learningRate(), base.weightDecay());
        return HyperRepresentationModel.build(LAYOUT, spec);
    }

    private static float[][] weights(int n, long seed) {
        Random rnd = new Random(seed);
        float[][] w = new float[n][LAYOUT.size()];
        for (float[] row : w) for (int j = 0; j < row.length; j++) row[j] = (float) (0.5 * rnd.nextGaussian());
        return w;
    }

    private static float[][] embedInNewContext(ComputationGraph graph, float[][] weights) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, false);
        SparkSession spark = LocalSpark.start("embedder-test");
        try {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < weights.length; i++) {
                List<Float> w = new ArrayList<>();
                for (float f : weights[i]) w.add(f);
                rows.add(RowFactory.create("m" + i, w));
            }
            Broadcast<byte[]> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes.toByteArray());
            Dataset<Row> out = Embedder.embed(spark.createDataFrame(rows, SCHEMA).repartition(2), "weights", "embedding", model)
                    .orderBy("model_id");
            List<Row> got = out.collectAsList();
            assertEquals(weights.length, got.size());
            float[][] z = new float[got.size()][];
            for (int i = 0; i < z.length; i++) {
                List<Float> e = got.get(i).getList(2);
                z[i] = new float[e.size()];
                for (int j = 0; j < z[i].length; j++) z[i][j] = e.get(j);
            }
            return z;
        } finally {
            spark.stop();
        }
    }

    private static float[][] direct(ComputationGraph graph, float[][] weights) {
        INDArray z = HyperRepresentationModel.embed(graph, Nd4j.create(weights).castTo(DataType.FLOAT));
        float[][] out = new float[weights.length][];
        for (int i = 0; i < out.length; i++) out[i] = z.getRow(i).toFloatVector();
        return out;
    }
}
