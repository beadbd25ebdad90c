package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.zoo.GeneratingFactors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;

import static org.hyperrep.zoo.arch.ArchFixtures.factors;
import static org.hyperrep.zoo.arch.ArchFixtures.randomInput;
import static org.hyperrep.zoo.arch.ArchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * DL4J's oneDNN layer helpers ({@link OneDnn}), on the DL4J-layer form of the CNNs (cnn-s and cnn-s3 train as
 * {@link FusedConvLayer}s, cnn-unterthiner with these helpers): they are on with the oneDNN native build of the root pom, and they
 * compute what DL4J's own (im2col) layers compute. If an upgrade or a dependency change breaks the detection
 * (see {@code org.nd4j.nativeblas.Nd4jCpu}), the first test says so instead of a 5x slower zoo build.
 */
class OneDnnHelpersTest {

    @Test
    void convolutionAndPoolingLayersGetOneDnnHelpers() {
        // The default build uses ND4J's plain natives (the onednn-avx2 classifier did not fit with the gpu profile's
        // backend switch; cnn-s no longer needs it, see FusedConvLayer): then there is nothing to check here.
        assumeTrue(OneDnn.helpersActive(), "oneDNN helpers are off: nd4j-native's onednn classifier is not on the "
                + "classpath (or the org.nd4j.nativeblas.Nd4jCpu shim is missing)");
        MultiLayerNetwork net = ArchFixtures.dl4jNetwork(Architectures.byName("cnn-s"), factors(3));
        int conv = 0, pool = 0;
        for (Layer l : net.getLayers()) {
            if (l instanceof ConvolutionLayer) {
                assertNotNull(helper(l, ConvolutionLayer.class), "no helper on " + l.conf().getLayer().getLayerName());
                conv++;
            } else if (l instanceof SubsamplingLayer) {
                assertNotNull(helper(l, SubsamplingLayer.class), "no helper on pooling layer " + l.getIndex());
                pool++;
            }
        }
        assertEquals(3, conv);
        assertEquals(2, pool);
    }

    @ParameterizedTest
    @MethodSource("org.hyperrep.zoo.arch.ArchFixtures#cnnsAndActivations")
    void helpersComputeWhatDl4jsOwnLayersCompute(String name, String activation) {
        assumeTrue(OneDnn.helpersActive(), "no oneDNN helpers to compare with DL4J's own layers");
        Architecture a = Architectures.byName(name);
        GeneratingFactors f = factors(5, activation, "kaiming_normal", "sgd", 0.0);
        MultiLayerNetwork withHelpers = ArchFixtures.dl4jNetwork(a, f);
        MultiLayerNetwork builtin;
        String before = System.getProperty(OneDnn.DISABLE_PROPERTY);
        System.setProperty(OneDnn.DISABLE_PROPERTY, "true");
        try {
            builtin = ArchFixtures.dl4jNetwork(a, f);
        } finally {
            System.setProperty(OneDnn.DISABLE_PROPERTY, before);
        }
        assertNull(helper(builtin.getLayer("conv1"), ConvolutionLayer.class));
        assertNotNull(helper(withHelpers.getLayer("conv1"), ConvolutionLayer.class));
        a.fromCanonical(builtin, a.toCanonical(withHelpers));

        INDArray x = randomInput(a, 6, 7);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 10);
        for (int i = 0; i < 6; i++) y.putScalar(i, (i * 3) % 10, 1f);
        assertClose(builtin.output(x, false), withHelpers.output(x, false), 1e-5, "outputs");
        for (MultiLayerNetwork n : new MultiLayerNetwork[]{builtin, withHelpers}) {
            n.setInput(x);
            n.setLabels(y);
            n.computeGradientAndScore();
        }
        INDArray g = builtin.gradient().gradient();
        assertClose(g, withHelpers.gradient().gradient(), 1e-4 * g.amaxNumber().doubleValue(), "gradients");
    }

    private static Object helper(Layer layer, Class<?> declaring) {
        try {
            Field f = declaring.getDeclaredField("helper");
            f.setAccessible(true);
            return f.get(layer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("DL4J changed: no field 'helper' in " + declaring.getName(), e);
        }
    }
}
