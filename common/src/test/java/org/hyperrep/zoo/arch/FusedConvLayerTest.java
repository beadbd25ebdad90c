package org.hyperrep.zoo.arch;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.hyperrep.zoo.GeneratingFactors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.hyperrep.zoo.arch.ArchFixtures.assertClose;
import static org.hyperrep.zoo.arch.ArchFixtures.factors;
import static org.hyperrep.zoo.arch.ArchFixtures.randomInput;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link FusedConvLayer}: the fused cnn-s computes the same outputs and gradients as cnn-s built from DL4J's own
 * convolution, pooling, activation and dropout layers, for every activation, with and without dropout; its
 * gradients pass DL4J's double-precision gradient check; it survives a ModelSerializer round trip.
 */
class FusedConvLayerTest {

    @BeforeAll
    static void floats() { Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT); }

    @AfterAll
    static void restore() { Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT); }

    static Stream<Arguments> activationsAndDropout() {
        List<Arguments> out = new ArrayList<>();
        for (String arch : List.of("cnn-s", "cnn-s3")) {
            for (String act : TrainingRecipe.ACTIVATIONS) {
                for (double p : new double[]{0.0, 0.5}) out.add(Arguments.of(arch, act, p));
            }
        }
        return out.stream();
    }

    @Test
    void cnnSIsBuiltFromFusedLayersAndInitialisesLikeDl4jLayers() {
        LayeredArchitecture a = (LayeredArchitecture) Architectures.byName("cnn-s");
        GeneratingFactors f = factors(5, "gelu", "uniform", "adam", 0.5);
        MultiLayerNetwork fused = network(a.configuration(f));
        MultiLayerNetwork dl4j = network(a.configuration(f, CNN2DFormat.NCHW));
        for (String conv : List.of("conv1", "conv2", "conv3")) {
            assertInstanceOf(FusedConvRuntime.class, fused.getLayer(conv));
        }
        assertEquals(2464, fused.numParams());
        // Same parameter initializer, same order of parametrised layers: a seed gives the same weights.
        assertArrayEquals(a.toCanonical(dl4j), a.toCanonical(fused));
    }

    @ParameterizedTest(name = "{0} {1} dropout {2}")
    @MethodSource("activationsAndDropout")
    void fusedAndDl4jLayersComputeTheSameOutputsAndGradients(String arch, String act, double dropout) {
        LayeredArchitecture a = (LayeredArchitecture) Architectures.byName(arch);
        GeneratingFactors f = factors(17, act, "kaiming_uniform", "adam", dropout);
        MultiLayerNetwork fused = network(a.configuration(f));
        MultiLayerNetwork dl4j = network(a.configuration(f, CNN2DFormat.NCHW));
        a.fromCanonical(fused, a.toCanonical(dl4j));

        int n = 7;
        INDArray x = randomInput(a, n, 99);
        INDArray y = labels(n, DataType.FLOAT);
        assertClose(dl4j.output(x, false), fused.output(x, false), 1e-5, "inference outputs");

        for (int rep = 0; rep < 2; rep++) {   // twice: scratch arrays reused
            Nd4j.getRandom().setSeed(1234 + rep);
            dl4j.setInput(x);
            dl4j.setLabels(y);
            dl4j.computeGradientAndScore();
            Nd4j.getRandom().setSeed(1234 + rep);
            fused.setInput(x);
            fused.setLabels(y);
            fused.computeGradientAndScore();
            assertEquals(dl4j.score(), fused.score(), 1e-5, "score");
            INDArray g0 = dl4j.gradient().gradient(), g1 = fused.gradient().gradient();
            assertTrue(g0.norm2Number().doubleValue() > 0);
            assertClose(g0, g1, 1e-4 * g0.amaxNumber().doubleValue(), "gradients (" + act + ", dropout " + dropout + ")");
        }
        // One training step each from the same state stays equal.
        Nd4j.getRandom().setSeed(77);
        dl4j.fit(x, y);
        Nd4j.getRandom().setSeed(77);
        fused.fit(x, y);
        assertClose(dl4j.params(), fused.params(), 1e-5, "parameters after one step");
    }

    /**
     * Each activation's derivative (it is inside the fused kernels) once, dropout once, and cnn-s3 (which differs
     * only in channel count) once: the double-precision checks are the slowest tests of the module.
     */
    static Stream<Arguments> gradientChecks() {
        List<Arguments> out = new ArrayList<>();
        for (String act : TrainingRecipe.ACTIVATIONS) out.add(Arguments.of("cnn-s", act, 0.0));
        out.add(Arguments.of("cnn-s", TrainingRecipe.ACTIVATIONS.get(0), 0.5));
        out.add(Arguments.of("cnn-s3", TrainingRecipe.ACTIVATIONS.get(1), 0.0));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} dropout {2}")
    @MethodSource("gradientChecks")
    void gradientCheckInDoublePrecision(String arch, String act, double dropout) {
        LayeredArchitecture a = (LayeredArchitecture) Architectures.byName(arch);
        GeneratingFactors f = factors(23, act, "kaiming_uniform", "sgd", dropout);
        MultiLayerConfiguration conf = a.configuration(f);
        for (NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) b.setIUpdater(new NoOp());
        }
        conf.setDataType(DataType.DOUBLE);
        MultiLayerNetwork net = network(conf);
        assertEquals(DataType.DOUBLE, net.params().dataType());
        int n = 3;
        INDArray x = randomInput(a, n, 5).castTo(DataType.DOUBLE);
        INDArray y = labels(n, DataType.DOUBLE);
        // A subset (DL4J picks up to 40 entries spread over each parameter array) keeps it to seconds.
        GradientCheckUtil.MLNConfig check = new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .subset(true).maxPerParam(40).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false);
        if (dropout > 0) check.callEachIter(m -> Nd4j.getRandom().setSeed(4321));
        assertTrue(doubleContext(() -> GradientCheckUtil.checkGradients(check)), arch + " " + act + " dropout " + dropout);
    }

    @Test
    void inputGradientOfAStandaloneLayerPassesTheGradientCheck() {
        for (boolean pool : new boolean[]{true, false}) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).list()
                    .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(3)
                            .activation(Activation.TANH).build())
                    .layer(FusedConvLayer.of("fused", 4, 3, pool, Activation.SIGMOID, true))
                    .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(10)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(10, 12, 2)).build();
            MultiLayerNetwork net = network(conf);
            Nd4j.getRandom().setSeed(8);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 10, 12);
            // a subset of each parameter array, conv1's included: its gradient is the fused layer's input gradient
            assertTrue(doubleContext(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                    .input(x).labels(labels(2, DataType.DOUBLE)).subset(true).maxPerParam(30)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false))), "pool " + pool);
        }
    }

    @Test
    void serializationRoundTripKeepsTheFusedLayers() throws Exception {
        LayeredArchitecture a = (LayeredArchitecture) Architectures.byName("cnn-s");
        MultiLayerNetwork net = network(a.configuration(factors(3, "relu", "normal", "adam", 0.5)));
        INDArray x = randomInput(a, 4, 1);
        net.fit(x, labels(4, DataType.FLOAT));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(net.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());
        assertInstanceOf(FusedConvRuntime.class, back.getLayer("conv2"));
        assertEquals(net.params(), back.params());
        assertEquals(net.output(x, false), back.output(x, false));
        assertEquals(MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()),
                net.getLayerWiseConfigurations());
    }

    /** GradientCheckUtil insists on DOUBLE as the default data type. */
    private static boolean doubleContext(java.util.function.BooleanSupplier check) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return check.getAsBoolean();
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray labels(int n, DataType type) {
        INDArray y = Nd4j.zeros(type, n, 10);
        for (int i = 0; i < n; i++) y.putScalar(i, (i * 7 + 3) % 10, 1.0);
        return y;
    }
}
