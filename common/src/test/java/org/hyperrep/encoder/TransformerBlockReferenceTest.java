package org.hyperrep.encoder;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transformer block's forward pass against a plain-loop computation of the same formula (docs/method.md):
 * pre-norm multi-head self-attention with the query, key and value projections side by side in {@code Wqkv}
 * (columns [0, d) queries, [d, 2d) keys, [2d, 3d) values) and head h reading columns [h·dh, (h+1)·dh) of each,
 * then the feed-forward half. The gradient checks cannot catch a head-split error that forward and backward make
 * alike; this test can.
 */
class TransformerBlockReferenceTest {
    private static final int BATCH = 3, L = 5, D = 8, FF = 12;

    @Test
    void forwardEqualsAPlainLoopReference() {
        for (int heads : new int[] {1, 2, 4}) {
            ComputationGraph g = graph(new TransformerBlock(L, D, heads, FF, 0.0));
            Nd4j.getRandom().setSeed(11 + heads);
            INDArray x = Nd4j.randn(DataType.DOUBLE, BATCH, (long) L * D);
            INDArray got = g.outputSingle(x);
            double[][] expected = reference(g, x, heads);
            double maxDiff = 0, maxAbs = 0;
            for (int b = 0; b < BATCH; b++) {
                for (int i = 0; i < L * D; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(got.getDouble(b, i) - expected[b][i]));
                    maxAbs = Math.max(maxAbs, Math.abs(expected[b][i] - x.getDouble(b, i)));
                }
            }
            assertTrue(maxAbs > 0.1, "the block must change its input for the comparison to mean anything: " + maxAbs);
            assertEquals(0, maxDiff, 1e-10, heads + " heads");
        }
    }

    private static ComputationGraph graph(TransformerBlock block) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward((long) L * D))
                .addLayer("block", block, "in")
                .addLayer("out", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "block")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Nd4j.getRandom().setSeed(3);
        // Wo and W2 start at zero and gains at one: move every parameter so each term of the formula matters
        g.params().addi(Nd4j.randn(DataType.DOUBLE, g.params().shape()).muli(0.3));
        return g;
    }

    private static double[][] reference(ComputationGraph g, INDArray input, int heads) {
        double[] ln1g = vec(g, "ln1g"), ln1b = vec(g, "ln1b"), bqkv = vec(g, "bqkv"), bo = vec(g, "bo");
        double[] ln2g = vec(g, "ln2g"), ln2b = vec(g, "ln2b"), b1 = vec(g, "b1"), b2 = vec(g, "b2");
        double[][] wqkv = mat(g, "Wqkv"), wo = mat(g, "Wo"), w1 = mat(g, "W1"), w2 = mat(g, "W2");
        int dh = D / heads;
        double[][] out = new double[BATCH][L * D];
        for (int b = 0; b < BATCH; b++) {
            double[][] x = new double[L][D];
            for (int t = 0; t < L; t++) for (int i = 0; i < D; i++) x[t][i] = input.getDouble(b, t * D + i);

            double[][] q = new double[L][D], k = new double[L][D], v = new double[L][D];
            for (int t = 0; t < L; t++) {
                double[] h = layerNorm(x[t], ln1g, ln1b);
                for (int j = 0; j < D; j++) {
                    q[t][j] = dot(h, wqkv, j) + bqkv[j];
                    k[t][j] = dot(h, wqkv, D + j) + bqkv[D + j];
                    v[t][j] = dot(h, wqkv, 2 * D + j) + bqkv[2 * D + j];
                }
            }
            double[][] context = new double[L][D];
            for (int hd = 0; hd < heads; hd++) {
                for (int t = 0; t < L; t++) {
                    double[] s = new double[L];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < L; u++) {
                        for (int j = hd * dh; j < (hd + 1) * dh; j++) s[u] += q[t][j] * k[u][j];
                        s[u] /= Math.sqrt(dh);
                        max = Math.max(max, s[u]);
                    }
                    double sum = 0;
                    for (int u = 0; u < L; u++) sum += s[u] = Math.exp(s[u] - max);
                    for (int u = 0; u < L; u++) {
                        for (int j = hd * dh; j < (hd + 1) * dh; j++) context[t][j] += s[u] / sum * v[u][j];
                    }
                }
            }
            for (int t = 0; t < L; t++) {
                double[] x1 = new double[D];
                for (int j = 0; j < D; j++) x1[j] = x[t][j] + dot(context[t], wo, j) + bo[j];
                double[] h2 = layerNorm(x1, ln2g, ln2b);
                double[] hidden = new double[FF];
                for (int j = 0; j < FF; j++) hidden[j] = Math.max(0, dot(h2, w1, j) + b1[j]);
                for (int j = 0; j < D; j++) out[b][t * D + j] = x1[j] + dot(hidden, w2, j) + b2[j];
            }
        }
        return out;
    }

    private static double[] layerNorm(double[] x, double[] gain, double[] bias) {
        double mean = 0, var = 0;
        for (double a : x) mean += a;
        mean /= x.length;
        for (double a : x) var += (a - mean) * (a - mean);
        var /= x.length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean) / Math.sqrt(var + Ops.LAYER_NORM_EPS) * gain[i] + bias[i];
        return y;
    }

    /** Σ_i a[i]·w[i][column]: a row vector times column {@code column} of w [in, out]. */
    private static double dot(double[] a, double[][] w, int column) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * w[i][column];
        return s;
    }

    private static double[] vec(ComputationGraph g, String name) {
        return g.getLayer("block").getParam(name).dup().data().asDouble();
    }

    private static double[][] mat(ComputationGraph g, String name) {
        return g.getLayer("block").getParam(name).toDoubleMatrix();
    }
}
