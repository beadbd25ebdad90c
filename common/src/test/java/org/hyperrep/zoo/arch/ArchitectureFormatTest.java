package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.zoo.GeneratingFactors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.hyperrep.zoo.arch.ArchFixtures.assertClose;
import static org.hyperrep.zoo.arch.ArchFixtures.factors;
import static org.hyperrep.zoo.arch.ArchFixtures.randomInput;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The CNNs compute in NHWC for speed ({@link LayeredArchitecture#FORMAT}); that must not change what they compute.
 * An NHWC and an NCHW network holding the same canonical vector give the same outputs and the same gradients.
 */
class ArchitectureFormatTest {

    @ParameterizedTest
    @MethodSource("org.hyperrep.zoo.arch.ArchFixtures#cnnsAndActivations")
    void nhwcAndNchwNetworksComputeTheSameFunctionAndGradient(String name, String activation) {
        LayeredArchitecture a = (LayeredArchitecture) Architectures.byName(name);
        assertEquals(CNN2DFormat.NHWC, LayeredArchitecture.FORMAT);
        GeneratingFactors f = factors(31, activation, "kaiming_uniform", "sgd", 0.0);
        MultiLayerNetwork nhwc = network(a, f, CNN2DFormat.NHWC);
        MultiLayerNetwork nchw = network(a, f, CNN2DFormat.NCHW);
        float[] canonical = a.toCanonical(nhwc);
        a.fromCanonical(nchw, canonical);
        assertArrayEquals(canonical, a.toCanonical(nchw));

        INDArray x = randomInput(a, 5, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 5, 10);
        for (int i = 0; i < 5; i++) y.putScalar(i, (i * 7) % 10, 1f);
        assertClose(nchw.output(x, false), nhwc.output(x, false), 1e-5, "outputs");

        nchw.setInput(x);
        nchw.setLabels(y);
        nchw.computeGradientAndScore();
        nhwc.setInput(x);
        nhwc.setLabels(y);
        nhwc.computeGradientAndScore();
        assertEquals(nchw.score(), nhwc.score(), 1e-5);
        INDArray gChw = nchw.gradient().gradient(), gHwc = nhwc.gradient().gradient();
        assertTrue(gChw.norm2Number().doubleValue() > 0);
        assertClose(gChw, gHwc, 1e-4 * gChw.amaxNumber().doubleValue(), "gradients");
    }

    private static MultiLayerNetwork network(LayeredArchitecture a, GeneratingFactors f, CNN2DFormat format) {
        MultiLayerNetwork net = new MultiLayerNetwork(a.configuration(f, format));
        net.init();
        return net;
    }
}
