package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.zoo.GeneratingFactors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small helpers shared by the architecture tests. */
final class ArchFixtures {
    private ArchFixtures() { }

    static GeneratingFactors factors(long seed, String activation, String init, String optimizer, double dropout) {
        return new GeneratingFactors(seed, activation, init, optimizer, 1e-3, 1e-4, dropout, 1.0);
    }

    static GeneratingFactors factors(long seed) {
        return factors(seed, "tanh", "kaiming_uniform", "adam", 0.0);
    }

    static MultiLayerNetwork network(Architecture arch, GeneratingFactors f) {
        MultiLayerNetwork net = new MultiLayerNetwork(arch.configuration(f));
        net.init();
        return net;
    }

    /**
     * The network built from DL4J's own layers (for cnn-s/cnn-s3 not the zoo's {@link FusedConvLayer} form), in
     * the layout the DL4J layers compute in ({@link LayeredArchitecture#FORMAT}).
     */
    static MultiLayerNetwork dl4jNetwork(Architecture arch, GeneratingFactors f) {
        MultiLayerNetwork net = new MultiLayerNetwork(((LayeredArchitecture) arch).configuration(f, LayeredArchitecture.FORMAT));
        net.init();
        return net;
    }

    /** Random inputs [n, ...] in the layout the architecture's network consumes. */
    static INDArray randomInput(Architecture arch, int n, long seed) {
        int[] s = arch.inputShape();
        Nd4j.getRandom().setSeed(seed);
        boolean flat = s[0] == 1 && s[1] == 1;
        return flat ? Nd4j.rand(DataType.FLOAT, n, s[2]) : Nd4j.rand(DataType.FLOAT, n, s[0], s[1], s[2]);
    }

    /**
     * The activation of a layer in the convolutional part of a network as [n, c, h, w], whatever layout the network
     * computes in ({@link LayeredArchitecture#FORMAT}: NHWC activations are [n, h, w, c]). The layout is that of the
     * nearest convolution or pooling layer at or before {@code layerIndex} (activation layers keep their input's).
     */
    static INDArray nchwActivation(MultiLayerNetwork net, int layerIndex, INDArray activation) {
        for (int i = layerIndex; i >= 0; i--) {
            var conf = net.getLayer(i).conf().getLayer();
            CNN2DFormat format = conf instanceof ConvolutionLayer c ? c.getCnn2dDataFormat()
                    : conf instanceof SubsamplingLayer s ? s.getCnn2dDataFormat() : null;
            if (format != null) return format == CNN2DFormat.NHWC ? activation.permute(0, 3, 1, 2) : activation;
        }
        throw new IllegalArgumentException("no convolution or pooling layer at or before layer " + layerIndex);
    }

    /** Every CNN with every activation (a MethodSource). */
    static List<Arguments> cnnsAndActivations() {
        List<Arguments> out = new ArrayList<>();
        for (String arch : List.of("cnn-s", "cnn-s3", "cnn-unterthiner")) {
            for (String act : TrainingRecipe.ACTIVATIONS) out.add(Arguments.of(arch, act));
        }
        return out;
    }

    /** Element-wise |expected - actual| <= tolerance, same shape. */
    static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance, what + " differ by " + diff + " (tolerance " + tolerance + ")");
    }
}
