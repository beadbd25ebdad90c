package org.hyperrep.zoo.arch;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.hyperrep.zoo.arch.ArchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link FusedDenseHead} on its own, behind a flat input (cnn-s's use behind convolutions is covered by
 * {@link FusedConvLayerTest}): DL4J's double-precision gradient check for every activation, with and without
 * dropout; the same scores, gradients and training step as DL4J's DenseLayer [+ DropoutLayer] + OutputLayer with
 * the same seed; shapes and errors.
 */
class FusedDenseHeadTest {

    private static MultiLayerConfiguration fused(Activation act, double retain, DataType type, boolean noOp) {
        return new NeuralNetConfiguration.Builder().seed(9).dataType(type).updater(noOp ? new NoOp() : new Adam(0.01))
                .l2(1e-3).list()
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(FusedDenseHead.of("hidden", 5, act, retain, "out", 4))
                .setInputType(InputType.feedForward(7)).build();
    }

    private static MultiLayerConfiguration dl4j(Activation act, double retain) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).l2(1e-3).list()
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("hidden").nOut(5).activation(act).build());
        if (retain < 1) b.layer(new DropoutLayer.Builder(retain).build());
        return b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(4)
                .activation(Activation.SOFTMAX).build()).setInputType(InputType.feedForward(7)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"IDENTITY", "TANH", "RELU", "SIGMOID", "GELU"})
    void gradientCheckInDoublePrecision(String activation) {
        for (double retain : new double[]{1.0, 0.6}) {
            MultiLayerNetwork net = new MultiLayerNetwork(fused(Activation.valueOf(activation), retain, DataType.DOUBLE, true));
            net.init();
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 7);
            GradientCheckUtil.MLNConfig check = new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(labels(5, DataType.DOUBLE)).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false);
            if (retain < 1) check.callEachIter(m -> Nd4j.getRandom().setSeed(4321));   // the same mask each time
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
            try {
                assertTrue(GradientCheckUtil.checkGradients(check), activation + " retain " + retain);
            } finally {
                Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TANH", "RELU", "GELU"})
    void equalsDl4jDenseDropoutOutputLayers(String activation) {
        for (double retain : new double[]{1.0, 0.5}) {
            Activation act = Activation.valueOf(activation);
            MultiLayerNetwork f = new MultiLayerNetwork(fused(act, retain, DataType.FLOAT, false));
            MultiLayerNetwork d = new MultiLayerNetwork(dl4j(act, retain));
            f.init();
            d.init();
            assertEquals(d.params(), f.params(), "same seed, same initial parameters in the same order");
            assertEquals(d.getLayer("hidden").getParam("W"), f.getLayer("out").getParam("W"));
            assertEquals(d.getLayer("out").getParam("W"), f.getLayer("out").getParam("W2"));
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.randn(DataType.FLOAT, 6, 7);
            INDArray y = labels(6, DataType.FLOAT);
            assertClose(d.output(x, false), f.output(x, false), 1e-6, "inference");
            for (int step = 0; step < 3; step++) {
                Nd4j.getRandom().setSeed(100 + step);
                d.fit(x, y);
                Nd4j.getRandom().setSeed(100 + step);
                f.fit(x, y);
                assertEquals(d.score(), f.score(), 1e-5, "score, step " + step + ", retain " + retain);
                assertClose(d.params(), f.params(), 1e-5, "parameters after step " + step + ", retain " + retain);
            }
        }
    }

    @Test
    void refusesWhatItDoesNotCompute() {
        assertThrows(IllegalArgumentException.class,
                () -> FusedDenseHead.of("h", 3, Activation.SOFTPLUS, 1.0, "o", 2), "activation");
        assertThrows(IllegalArgumentException.class, () -> FusedDenseHead.of("h", 3, Activation.TANH, 0.0, "o", 2));
        FusedDenseHead h = FusedDenseHead.of("h", 3, Activation.TANH, 1.0, "o", 2);
        h.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(0.5));   // dropout on its input: not fused
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(h)
                .setInputType(InputType.feedForward(4)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(conf).init());
        assertTrue(e.getMessage().contains("'o'") && e.getMessage().contains("input dropout"), e.getMessage());
    }

    @Test
    void wrongInputWidthNamesTheLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(FusedDenseHead.of("h", 3, Activation.TANH, 1.0, "head", 2))
                .setInputType(InputType.feedForward(4)).build());
        net.init();
        Exception e = assertThrows(Exception.class, () -> net.output(Nd4j.zeros(DataType.FLOAT, 2, 5)));
        assertTrue(String.valueOf(e.getMessage()).contains("head"), e.getMessage());
    }

    private static INDArray labels(int n, DataType type) {
        INDArray y = Nd4j.zeros(type, n, 4);
        for (int i = 0; i < n; i++) y.putScalar(i, (i * 3 + 1) % 4, 1.0);
        return y;
    }
}
