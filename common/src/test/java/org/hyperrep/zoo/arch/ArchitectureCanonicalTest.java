package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.weights.LayerLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.List;

import static org.hyperrep.zoo.arch.ArchFixtures.factors;
import static org.hyperrep.zoo.arch.ArchFixtures.nchwActivation;
import static org.hyperrep.zoo.arch.ArchFixtures.network;
import static org.hyperrep.zoo.arch.ArchFixtures.randomInput;
import static org.junit.jupiter.api.Assertions.*;

/** The canonical vector of docs/method.md: exact round trips and known positions. */
class ArchitectureCanonicalTest {

    static List<String> architectures() { return Architectures.names(); }

    @ParameterizedTest
    @MethodSource("architectures")
    void roundTripThroughTheCanonicalVectorIsBitwiseExact(String name) {
        Architecture a = Architectures.byName(name);
        MultiLayerNetwork source = network(a, factors(17, "gelu", "normal", "sgd", 0.5));
        float[] canonical = a.toCanonical(source);
        assertEquals(a.parameterCount(), canonical.length);

        MultiLayerNetwork target = network(a, factors(18, "gelu", "normal", "sgd", 0.5));
        assertFalse(Arrays.equals(source.params().toFloatVector(), target.params().toFloatVector()),
                "different seeds should give different initial weights");
        a.fromCanonical(target, canonical);
        assertArrayEquals(source.params().toFloatVector(), target.params().toFloatVector());
        assertArrayEquals(canonical, a.toCanonical(target));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void canonicalVectorIsAPermutationOfTheParameters(String name) {
        Architecture a = Architectures.byName(name);
        MultiLayerNetwork net = network(a, factors(19));
        float[] canonical = a.toCanonical(net);
        float[] params = net.params().toFloatVector();
        Arrays.sort(canonical);
        Arrays.sort(params);
        assertArrayEquals(params, canonical, "every parameter exactly once");
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void arbitraryCanonicalVectorsSurviveTheNetwork(String name) {
        Architecture a = Architectures.byName(name);
        float[] canonical = new float[a.parameterCount()];
        for (int i = 0; i < canonical.length; i++) canonical[i] = i + 0.25f;
        MultiLayerNetwork net = network(a, factors(20));
        a.fromCanonical(net, canonical);
        assertArrayEquals(canonical, a.toCanonical(net));
    }

    @Test
    void tetrisPositions() {
        Architecture a = Architectures.byName("tetris-mlp");
        MultiLayerNetwork net = network(a, factors(21));
        float[] c = a.toCanonical(net);
        INDArray w0 = net.getLayer("dense1").getParam("W");   // DL4J: [in 16, out 5]
        INDArray w1 = net.getLayer("dense2").getParam("W");   // [in 5, out 4]
        for (int unit = 0; unit < 5; unit++) {
            for (int in = 0; in < 16; in++) {
                assertEquals(w0.getFloat(in, unit), c[unit * 16 + in], "hidden unit " + unit + " input " + in);
            }
        }
        for (int out = 0; out < 4; out++) {
            for (int in = 0; in < 5; in++) {
                assertEquals(w1.getFloat(in, out), c[80 + out * 5 + in], "output " + out + " input " + in);
            }
        }
        // c[0..15] is the column W[:, 0], not the row W[0, :]
        assertArrayEquals(w0.getColumn(0).toFloatVector(), Arrays.copyOfRange(c, 0, 16));
        assertArrayEquals(w1.getColumn(0).toFloatVector(), Arrays.copyOfRange(c, 80, 85));
    }

    /** The positions in cnn-s built from DL4J's own layers; the fused form has the same vector (FusedConvLayerTest). */
    @Test
    void smallCnnPositions() {
        Architecture a = Architectures.byName("cnn-s");
        MultiLayerNetwork net = dl4jLayers(a, factors(22));
        float[] c = a.toCanonical(net);
        INDArray conv1 = net.getLayer("conv1").getParam("W");   // [8, 1, 5, 5]
        for (int kh = 0; kh < 5; kh++) {
            for (int kw = 0; kw < 5; kw++) {
                assertEquals(conv1.getFloat(0, 0, kh, kw), c[kh * 5 + kw]);
                assertEquals(conv1.getFloat(3, 0, kh, kw), c[3 * 25 + kh * 5 + kw]);
            }
        }
        assertArrayEquals(net.getLayer("conv1").getParam("b").toFloatVector(), Arrays.copyOfRange(c, 200, 208));
        INDArray conv2 = net.getLayer("conv2").getParam("W");   // [6, 8, 5, 5]
        assertEquals(conv2.getFloat(0, 0, 0, 0), c[208]);
        assertEquals(conv2.getFloat(2, 7, 4, 1), c[208 + 2 * 200 + 7 * 25 + 4 * 5 + 1]);
        LayerLayout dense1 = a.layout().layer("dense1");
        assertEquals(208 + 1206 + 100, dense1.offset());
        INDArray d1 = net.getLayer("dense1").getParam("W");     // [36, 20]
        assertEquals(d1.getFloat(35, 19), c[dense1.offset() + 19 * 36 + 35]);
        assertEquals(d1.getFloat(4, 2), c[dense1.offset() + 2 * 36 + 4]);
        assertArrayEquals(net.getLayer("dense1").getParam("b").toFloatVector(),
                Arrays.copyOfRange(c, dense1.biasOffset(), dense1.biasOffset() + 20));
        assertEquals(net.getLayer("dense2").getParam("b").getFloat(0, 9), c[2463]);

        // The fused head holds dense1 as W, b and dense2 as W2, b2 (DL4J's dense shapes).
        MultiLayerNetwork fused = network(a, factors(5));
        a.fromCanonical(fused, c);
        assertArrayEquals(c, a.toCanonical(fused));
        var head = fused.getLayer("dense2");
        assertEquals(d1, head.getParam("W"));
        assertEquals(net.getLayer("dense1").getParam("b"), head.getParam("b"));
        assertEquals(net.getLayer("dense2").getParam("W"), head.getParam("W2"));
        assertEquals(net.getLayer("dense2").getParam("b"), head.getParam("b2"));
    }

    private static MultiLayerNetwork dl4jLayers(Architecture a, org.hyperrep.zoo.GeneratingFactors f) {
        MultiLayerNetwork net = new MultiLayerNetwork(((LayeredArchitecture) a).configuration(f,
                org.deeplearning4j.nn.conf.CNN2DFormat.NCHW));
        net.init();
        return net;
    }

    @Test
    void smallCnn3PositionsOfTheExtraInputChannels() {
        Architecture a = Architectures.byName("cnn-s3");
        MultiLayerNetwork net = network(a, factors(23));
        float[] c = a.toCanonical(net);
        INDArray conv1 = net.getLayer("conv1").getParam("W");   // [8, 3, 5, 5]
        // filter 1, channel 2, (3, 4): 1·75 + 2·25 + 3·5 + 4
        assertEquals(conv1.getFloat(1, 2, 3, 4), c[75 + 50 + 15 + 4]);
        assertArrayEquals(net.getLayer("conv1").getParam("b").toFloatVector(), Arrays.copyOfRange(c, 600, 608));
    }

    @Test
    void unterthinerPositions() {
        Architecture a = Architectures.byName("cnn-unterthiner");
        MultiLayerNetwork net = network(a, factors(24));
        float[] c = a.toCanonical(net);
        INDArray conv2 = net.getLayer("conv2").getParam("W");   // [16, 16, 3, 3]
        assertEquals(160, a.layout().layer("conv2").offset());
        assertEquals(conv2.getFloat(5, 9, 2, 0), c[160 + 5 * 144 + 9 * 9 + 2 * 3]);
        INDArray dense = net.getLayer("dense1").getParam("W");  // [16, 10]
        assertEquals(4800, a.layout().layer("dense1").offset());
        assertEquals(dense.getFloat(15, 3), c[4800 + 3 * 16 + 15]);
        assertArrayEquals(net.getLayer("dense1").getParam("b").toFloatVector(), Arrays.copyOfRange(c, 4960, 4970));
    }

    @Test
    void convKernelIndicesAreCrossCorrelationOffsetsLikePyTorch() {
        // out[y][x] = sum_{kh,kw} W[kh][kw] · in[y + kh][x + kw]: a single 1 at (kh = 1, kw = 3) copies the
        // input pixel (10, 12) to output (9, 9) — neither flipped (true convolution) nor transposed.
        // On the DL4J-layer form, whose conv1 output is the raw convolution (FusedConvLayerTest: same function).
        Architecture a = Architectures.byName("cnn-s");
        MultiLayerNetwork net = ArchFixtures.dl4jNetwork(a, factors(25));
        float[] c = new float[a.parameterCount()];
        c[1 * 5 + 3] = 1f;
        a.fromCanonical(net, c);
        INDArray image = Nd4j.zeros(DataType.FLOAT, 1, 1, 28, 28);
        image.putScalar(new long[]{0, 0, 10, 12}, 1f);
        int conv1Index = net.getLayer("conv1").getIndex();
        INDArray conv1 = nchwActivation(net, conv1Index, net.feedForward(image, false).get(conv1Index + 1));
        assertArrayEquals(new long[]{1, 8, 24, 24}, conv1.shape());
        assertEquals(1f, conv1.getFloat(0, 0, 9, 9));
        assertEquals(1.0, conv1.sumNumber().doubleValue(), 0.0);
    }

    @Test
    void denseAfterFlattenIsChannelMajor() {
        // Only dense1's weight (unit 0, column c·9 + p) is non-zero: unit 0 then sees exactly conv3's
        // activation of channel c at position p = y·3 + x, so its output is act(conv3[c][y][x]).
        Architecture a = Architectures.byName("cnn-s");   // DL4J's layers: the fused head hides dense1's output
        MultiLayerNetwork net = dl4jLayers(a, factors(26, "tanh", "kaiming_uniform", "adam", 0.0));
        float[] random = a.toCanonical(net);
        LayerLayout dense1 = a.layout().layer("dense1");
        INDArray x = randomInput(a, 2, 27);
        int dense1Index = net.getLayer("dense1").getIndex();
        for (int[] cp : new int[][]{{0, 0}, {1, 4}, {2, 5}, {3, 8}, {0, 7}}) {
            float[] c = random.clone();
            Arrays.fill(c, dense1.offset(), dense1.end(), 0f);
            c[dense1.offset() + cp[0] * 9 + cp[1]] = 1f;
            a.fromCanonical(net, c);
            List<INDArray> acts = net.feedForward(x, false);
            // conv3 after its tanh (the activation layer that feeds dense1): [n, 4, 3, 3]
            INDArray conv3 = nchwActivation(net, dense1Index - 1, acts.get(dense1Index));
            INDArray hidden = acts.get(dense1Index + 1);         // [n, 20], after tanh
            assertArrayEquals(new long[]{2, 4, 3, 3}, conv3.shape());
            for (int n = 0; n < 2; n++) {
                float expected = Transforms.tanh(Nd4j.scalar(conv3.getFloat(n, cp[0], cp[1] / 3, cp[1] % 3)))
                        .getFloat(0);
                assertEquals(expected, hidden.getFloat(n, 0), 1e-6, "channel " + cp[0] + " position " + cp[1]);
                // channel-last (p·4 + c) would read a different activation
                int hwcChannel = (cp[0] * 9 + cp[1]) % 4, hwcPos = (cp[0] * 9 + cp[1]) / 4;
                if (hwcChannel != cp[0] || hwcPos != cp[1]) {
                    float other = conv3.getFloat(n, hwcChannel, hwcPos / 3, hwcPos % 3);
                    assertNotEquals(Math.tanh(other), hidden.getFloat(n, 0), 1e-6);
                }
                for (int u = 1; u < 20; u++) assertEquals(0f, hidden.getFloat(n, u));
            }
        }
    }

    @Test
    void wrongLengthIsRejected() {
        Architecture a = Architectures.byName("tetris-mlp");
        MultiLayerNetwork net = network(a, factors(28));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.fromCanonical(net, new float[99]));
        assertTrue(e.getMessage().contains("100") && e.getMessage().contains("99"), e.getMessage());
    }

    @Test
    void networkOfAnotherArchitectureIsRejected() {
        MultiLayerNetwork cnn3 = network(Architectures.byName("cnn-s3"), factors(29));
        Architecture cnn = Architectures.byName("cnn-s");
        assertThrows(IllegalArgumentException.class, () -> cnn.toCanonical(cnn3));
        assertThrows(IllegalArgumentException.class,
                () -> cnn.fromCanonical(cnn3, new float[cnn.parameterCount()]));
        MultiLayerNetwork tetris = network(Architectures.byName("tetris-mlp"), factors(30));
        assertThrows(IllegalArgumentException.class, () -> cnn.toCanonical(tetris));
    }

    @Test
    void sameSeedSameInitialWeights() {
        for (String name : Architectures.names()) {
            Architecture a = Architectures.byName(name);
            assertArrayEquals(a.toCanonical(network(a, factors(31))), a.toCanonical(network(a, factors(31))), name);
        }
    }
}
