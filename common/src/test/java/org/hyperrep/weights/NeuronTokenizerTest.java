package org.hyperrep.weights;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Neuron tokens (docs/method.md): counts, widths, exact round trips and agreement with DL4J's own parameters. */
class NeuronTokenizerTest {

    static Stream<Arguments> expectedTokens() {
        return Stream.of(
                Arguments.of("tetris-mlp", 9, new int[]{5, 4}, new int[]{16, 5}),
                Arguments.of("cnn-s", 48, new int[]{8, 6, 4, 20, 10}, new int[]{26, 201, 25, 37, 21}),
                Arguments.of("cnn-s3", 48, new int[]{8, 6, 4, 20, 10}, new int[]{76, 201, 25, 37, 21}),
                Arguments.of("cnn-unterthiner", 58, new int[]{16, 16, 16, 10}, new int[]{10, 145, 145, 17}));
    }

    static List<String> architectures() { return Architectures.names(); }

    @ParameterizedTest
    @MethodSource("expectedTokens")
    void tokenCountsAndWidths(String name, int count, int[] perLayer, int[] widths) {
        NeuronTokenizer t = new NeuronTokenizer(Architectures.byName(name).layout());
        assertEquals(count, t.tokenCount());
        assertArrayEquals(perLayer, t.tokensPerLayer());
        assertArrayEquals(widths, t.widths());
        float[][][] tokens = t.tokenize(new float[Architectures.byName(name).parameterCount()]);
        assertEquals(perLayer.length, tokens.length);
        int total = 0;
        for (int l = 0; l < tokens.length; l++) {
            assertEquals(perLayer[l], tokens[l].length);
            for (float[] token : tokens[l]) assertEquals(widths[l], token.length);
            total += tokens[l].length * widths[l];
        }
        assertEquals(Architectures.byName(name).parameterCount(), total, "tokens hold every parameter once");
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void roundTripIsBitwiseExact(String name) {
        NeuronTokenizer t = new NeuronTokenizer(Architectures.byName(name).layout());
        float[] v = awkwardVector(t.layout().size(), 3);
        float[] back = t.detokenize(t.tokenize(v));
        assertBitwiseEqual(v, back);
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void batchRoundTripIsBitwiseExactAndMatchesSingleTokens(String name) {
        NeuronTokenizer t = new NeuronTokenizer(Architectures.byName(name).layout());
        float[][] batch = {awkwardVector(t.layout().size(), 4), awkwardVector(t.layout().size(), 5),
                awkwardVector(t.layout().size(), 6)};
        float[][] perLayer = new float[t.layerCount()][];
        for (int l = 0; l < t.layerCount(); l++) {
            perLayer[l] = t.layerTokens(batch, l);
            int w = t.widths()[l];
            int units = t.tokensPerLayer()[l];
            for (int b = 0; b < batch.length; b++) {
                for (int u = 0; u < units; u++) {
                    float[] single = t.token(batch[b], l, u);
                    for (int i = 0; i < w; i++) {
                        assertEquals(Float.floatToRawIntBits(single[i]),
                                Float.floatToRawIntBits(perLayer[l][(b * units + u) * w + i]));
                    }
                }
            }
        }
        float[][] back = t.fromLayerTokens(perLayer, batch.length);
        for (int b = 0; b < batch.length; b++) assertBitwiseEqual(batch[b], back[b]);
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void tokenIsTheUnitsIncomingWeightsAndBiasInTheNetwork(String name) {
        Architecture a = Architectures.byName(name);
        MultiLayerNetwork net = TrainedModels.network(a, TrainedModels.factors(11, "tanh", 0.0));
        NeuronTokenizer t = new NeuronTokenizer(a.layout());
        float[][][] tokens = t.tokenize(a.toCanonical(net));
        List<LayerLayout> layers = a.layout().layers();
        for (int l = 0; l < layers.size(); l++) {
            LayerLayout layer = layers.get(l);
            INDArray w = a.parameter(net, layer.name(), "W");
            INDArray b = layer.bias() ? a.parameter(net, layer.name(), "b") : null;
            for (int j = 0; j < layer.out(); j++) {
                float[] expected = incomingWeights(w, layer, j);
                float[] token = tokens[l][j];
                assertEquals(expected.length + (layer.bias() ? 1 : 0), token.length);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], token[i], layer.name() + " unit " + j + " weight " + i);
                }
                if (b != null) {
                    assertEquals(b.getFloat(j), token[expected.length], layer.name() + " bias " + j);
                }
            }
        }
    }

    /** Unit j's weights read element by element: DL4J dense W is [in, out] (column j), conv W [out, in, kh, kw]. */
    private static float[] incomingWeights(INDArray w, LayerLayout layer, int j) {
        float[] out = new float[layer.fanIn()];
        int i = 0;
        for (int c = 0; c < layer.in(); c++) {
            for (int y = 0; y < layer.kh(); y++) {
                for (int x = 0; x < layer.kw(); x++) {
                    out[i++] = layer.kind().equals("dense") ? w.getFloat(c, j) : w.getFloat(new long[]{j, c, y, x});
                }
            }
        }
        return out;
    }

    @Test
    void wrongShapesAreRejected() {
        NeuronTokenizer t = new NeuronTokenizer(Architectures.byName("tetris-mlp").layout());
        assertThrows(IllegalArgumentException.class, () -> t.tokenize(new float[99]));
        float[][][] tokens = t.tokenize(new float[100]);
        tokens[1][2] = new float[6];
        assertThrows(IllegalArgumentException.class, () -> t.detokenize(tokens));
        assertThrows(IllegalArgumentException.class, () -> t.fromLayerTokens(new float[][]{new float[80]}, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.token(new float[100], 1, 4));
    }

    /** Random values plus signed zeros, a subnormal and NaNs with payloads: anything but a plain copy shows. */
    static float[] awkwardVector(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        v[0] = -0.0f;
        v[n / 2] = Float.intBitsToFloat(0x7fc00123);
        v[n - 1] = Float.MIN_VALUE;
        v[n / 3] = Float.intBitsToFloat(0xffc00007);
        return v;
    }

    static void assertBitwiseEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "index " + i);
        }
    }
}
