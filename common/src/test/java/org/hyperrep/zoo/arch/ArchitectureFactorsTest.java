package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitReluUniform;
import org.deeplearning4j.nn.weights.WeightInitUniform;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.zoo.GeneratingFactors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.ArrayList;
import java.util.List;

import static org.hyperrep.zoo.arch.ArchFixtures.factors;
import static org.hyperrep.zoo.arch.ArchFixtures.network;
import static org.junit.jupiter.api.Assertions.*;

/** Generating factors → DL4J settings ({@link TrainingRecipe}), checked in the built configurations. */
class ArchitectureFactorsTest {

    private static List<Layer> layers(MultiLayerConfiguration conf) {
        List<Layer> out = new ArrayList<>();
        for (NeuralNetConfiguration c : conf.getConfs()) out.add(c.getLayer());
        return out;
    }

    @Test
    void dropoutFactorIsTheDropProbabilityAndBecomesRetain() {
        // 0.2 is not symmetric: a missing 1 − p conversion would show up as 0.2.
        MultiLayerConfiguration conf = Architectures.byName("cnn-s")
                .configuration(factors(1, "relu", "uniform", "adam", 0.2));
        List<Double> retain = new ArrayList<>();
        for (Layer l : layers(conf)) {
            if (l instanceof DropoutLayer) retain.add(((Dropout) l.getIDropout()).getP());
            if (l instanceof FusedDenseHead h) retain.add(h.getHiddenRetain());   // its dropout after dense1
        }
        assertEquals(List.of(0.8, 0.8, 0.8), retain, "after act1, act2 and dense1");
        assertEquals(0.8, TrainingRecipe.retainProbability(0.2), 1e-15);
    }

    @Test
    void dropoutLayersPerArchitecture() {
        int[] expected = {1, 3, 3, 3};
        List<String> names = Architectures.names();
        for (int i = 0; i < names.size(); i++) {
            MultiLayerConfiguration conf = Architectures.byName(names.get(i))
                    .configuration(factors(1, "relu", "uniform", "adam", 0.5));
            assertEquals(expected[i], layers(conf).stream().filter(l -> l instanceof DropoutLayer
                            || l instanceof FusedDenseHead h && h.getHiddenRetain() < 1).count(), names.get(i));
        }
    }

    @Test
    void zeroDropoutMeansNoDropoutAnywhere() {
        for (String name : Architectures.names()) {
            for (Layer l : layers(Architectures.byName(name).configuration(factors(1)))) {
                assertFalse(l instanceof DropoutLayer, name);
                assertNull(l.getIDropout(), name + " " + l.getLayerName());
                if (l instanceof FusedDenseHead h) assertEquals(1.0, h.getHiddenRetain(), name);
            }
        }
    }

    @Test
    void dropoutOutsideZeroOneIsRejected() {
        Architecture a = Architectures.byName("tetris-mlp");
        assertThrows(IllegalArgumentException.class, () -> a.configuration(factors(1, "tanh", "uniform", "adam", 1.0)));
        assertThrows(IllegalArgumentException.class, () -> a.configuration(factors(1, "tanh", "uniform", "adam", -0.1)));
    }

    @Test
    void activationMapping() {
        assertEquals(Activation.TANH, TrainingRecipe.activation("tanh"));
        assertEquals(Activation.RELU, TrainingRecipe.activation("relu"));
        assertEquals(Activation.SIGMOID, TrainingRecipe.activation("sigmoid"));
        assertEquals(Activation.GELU, TrainingRecipe.activation("gelu"));
        IActivation gelu = Activation.GELU.getActivationFunction();
        assertFalse(((ActivationGELU) gelu).isPrecise());
        // The documented form x·σ(1.702x), within 0.02 of the exact GELU (Φ(1) = 0.841345, −2·Φ(−2) = −0.045500).
        for (double x : new double[]{-3, -2, -1, -0.5, 0.5, 1, 2, 3}) {
            double y = gelu.getActivation(Nd4j.scalar(DataType.DOUBLE, x), false).getDouble(0);
            assertEquals(x / (1 + Math.exp(-1.702 * x)), y, 1e-6, "x = " + x);
        }
        assertEquals(0.841345, gelu.getActivation(Nd4j.scalar(DataType.DOUBLE, 1.0), false).getDouble(0), 0.02);
        assertEquals(-0.045500, gelu.getActivation(Nd4j.scalar(DataType.DOUBLE, -2.0), false).getDouble(0), 0.02);
    }

    @Test
    void activationReachesEveryNonlinearityAndTheOutputIsSoftmaxNll() {
        for (String act : TrainingRecipe.ACTIVATIONS) {
            Class<?> expected = TrainingRecipe.activation(act).getActivationFunction().getClass();
            LayeredArchitecture cnnS = (LayeredArchitecture) Architectures.byName("cnn-s");
            // The zoo's form: conv [→ pool] → act fused into FusedConvLayers carrying the activation.
            List<Layer> fused = layers(cnnS.configuration(factors(1, act, "uniform", "adam", 0)));
            for (String conv : List.of("conv1", "conv2", "conv3")) {
                FusedConvLayer fl = assertInstanceOf(FusedConvLayer.class, named(fused, conv));
                assertInstanceOf(expected, fl.getActivationFn(), act);
                assertEquals(conv.equals("conv3") ? 0 : 2, fl.getPool(), "pooling before the activation");
            }
            assertEquals(0, fused.stream().filter(l -> l instanceof ActivationLayer).count());
            // The DL4J-layer form it is tested against: linear convolutions, activation layers after the pooling.
            MultiLayerConfiguration cnn = cnnS.configuration(factors(1, act, "uniform", "adam", 0),
                    LayeredArchitecture.FORMAT);
            List<Layer> ls = layers(cnn);
            long activationLayers = ls.stream().filter(l -> l instanceof ActivationLayer).count();
            // Convolutions are linear; their nonlinearity is an activation layer (see Layers: DL4J's oneDNN
            // helper got ReLU gradients wrong inside NHWC convolutions).
            assertEquals(3, activationLayers, "act after pool1, pool2 and conv3");
            for (Layer l : ls) {
                if (l instanceof ActivationLayer al) assertInstanceOf(expected, al.getActivationFn(), act);
                if (l instanceof DenseLayer dl) assertInstanceOf(expected, dl.getActivationFn(), act);
            }
            BaseLayer conv1 = (BaseLayer) ls.get(0);
            assertEquals("conv1", conv1.getLayerName());
            assertEquals("identity", conv1.getActivationFn().toString(), "pooling comes before the activation");
            assertEquals("identity", ((BaseLayer) named(ls, "conv3")).getActivationFn().toString());
            assertInstanceOf(ActivationLayer.class, ls.get(ls.indexOf(named(ls, "conv3")) + 1), "act after conv3");
            OutputLayer out = (OutputLayer) ls.get(ls.size() - 1);
            assertInstanceOf(ActivationSoftmax.class, out.getActivationFn());
            assertInstanceOf(LossMCXENT.class, out.getLossFn());
        }
        MultiLayerConfiguration unt = Architectures.byName("cnn-unterthiner")
                .configuration(factors(1, "sigmoid", "uniform", "adam", 0));
        List<Layer> uls = layers(unt);
        for (String conv : List.of("conv1", "conv2", "conv3")) {
            assertEquals("identity", ((BaseLayer) named(uls, conv)).getActivationFn().toString(), conv);
            Layer next = uls.get(uls.indexOf(named(uls, conv)) + 1);
            assertInstanceOf(ActivationSigmoid.class, ((ActivationLayer) next).getActivationFn(), "act after " + conv);
        }
    }

    private static Layer named(List<Layer> ls, String name) {
        return ls.stream().filter(l -> name.equals(l.getLayerName())).findFirst().orElseThrow();
    }

    @Test
    void initMapping() {
        assertEquals(WeightInit.UNIFORM, TrainingRecipe.weightInit("uniform"));
        assertEquals(WeightInit.NORMAL, TrainingRecipe.weightInit("normal"));
        assertEquals(WeightInit.RELU_UNIFORM, TrainingRecipe.weightInit("kaiming_uniform"));
        assertEquals(WeightInit.RELU, TrainingRecipe.weightInit("kaiming_normal"));
        List<Layer> ls = layers(Architectures.byName("cnn-s").configuration(factors(1, "tanh", "kaiming_uniform", "adam", 0)));
        assertInstanceOf(WeightInitReluUniform.class, ((BaseLayer) named(ls, "conv2")).getWeightInitFn());
        assertInstanceOf(WeightInitReluUniform.class, ((BaseLayer) named(ls, "dense2")).getWeightInitFn());
        ls = layers(Architectures.byName("tetris-mlp").configuration(factors(1, "tanh", "kaiming_normal", "adam", 0)));
        assertInstanceOf(WeightInitRelu.class, ((BaseLayer) named(ls, "dense1")).getWeightInitFn());
        ls = layers(Architectures.byName("tetris-mlp").configuration(factors(1, "tanh", "uniform", "adam", 0)));
        assertInstanceOf(WeightInitUniform.class, ((BaseLayer) named(ls, "dense2")).getWeightInitFn());
    }

    @Test
    void initialWeightsHaveTheDocumentedScale() {
        // conv2 of cnn-s: fanIn = 8·5·5 = 200 → bounds 1/√200 (uniform) and √(6/200) (kaiming_uniform);
        // stds 1/√200 (normal) and √(2/200) (kaiming_normal). 1200 weights: max within 10 %, std within 10 %.
        Architecture a = Architectures.byName("cnn-s");
        LayerLayout conv2 = a.layout().layer("conv2");
        // {bound, std} in the order of INITS: uniform, normal, kaiming_uniform, kaiming_normal
        double[][] expectations = {{1 / Math.sqrt(200), 0}, {0, 1 / Math.sqrt(200)},
                {Math.sqrt(6.0 / 200), 0}, {0, Math.sqrt(2.0 / 200)}};
        for (int i = 0; i < TrainingRecipe.INITS.size(); i++) {
            String init = TrainingRecipe.INITS.get(i);
            float[] c = a.toCanonical(network(a, factors(2, "relu", init, "adam", 0)));
            double max = 0, sum2 = 0;
            for (int k = conv2.offset(); k < conv2.biasOffset(); k++) {
                max = Math.max(max, Math.abs(c[k]));
                sum2 += c[k] * c[k];
            }
            double std = Math.sqrt(sum2 / conv2.weightCount());
            if (expectations[i][0] > 0) {
                assertTrue(max <= expectations[i][0] && max > 0.9 * expectations[i][0], init + " max " + max);
            } else {
                assertEquals(expectations[i][1], std, 0.1 * expectations[i][1], init + " std");
            }
            for (int k = conv2.biasOffset(); k < conv2.end(); k++) assertEquals(0f, c[k], init + " bias");
        }
    }

    @Test
    void optimizerMapping() {
        IUpdater adam = TrainingRecipe.updater("adam", 1e-3);
        assertInstanceOf(Adam.class, adam);
        assertEquals(1e-3, ((Adam) adam).getLearningRate(), 0);
        IUpdater sgd = TrainingRecipe.updater("sgd", 1e-4);
        assertInstanceOf(Nesterovs.class, sgd);
        assertEquals(1e-4, ((Nesterovs) sgd).getLearningRate(), 0);
        assertEquals(0.9, ((Nesterovs) sgd).getMomentum(), 0);
        GeneratingFactors f = new GeneratingFactors(3, "tanh", "uniform", "sgd", 3e-4, 0, 0, 1);
        for (Layer l : layers(Architectures.byName("cnn-unterthiner").configuration(f))) {
            if (l instanceof BaseLayer bl) {
                assertInstanceOf(Nesterovs.class, bl.getIUpdater(), bl.getLayerName());
                assertEquals(3e-4, ((Nesterovs) bl.getIUpdater()).getLearningRate(), 0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.updater("adam", 0));
    }

    @Test
    void weightDecayIsL2OnWeightsOnly() {
        GeneratingFactors f = new GeneratingFactors(3, "tanh", "uniform", "adam", 1e-3, 1e-3, 0, 1);
        for (Layer l : layers(Architectures.byName("cnn-s").configuration(f))) {
            if (l instanceof BaseLayer bl && bl.getLayerName() != null && bl.getLayerName().matches("conv\\d|dense\\d")) {
                List<Regularization> reg = bl.getRegularization();
                assertEquals(1, reg.size(), bl.getLayerName());
                L2Regularization l2 = (L2Regularization) reg.get(0);
                assertEquals(1e-3, l2.getL2().valueAt(0, 0), 0);
                assertTrue(bl.getRegularizationBias() == null || bl.getRegularizationBias().isEmpty());
            }
        }
        GeneratingFactors none = new GeneratingFactors(3, "tanh", "uniform", "adam", 1e-3, 0, 0, 1);
        for (Layer l : layers(Architectures.byName("cnn-s").configuration(none))) {
            if (l instanceof BaseLayer bl) {
                assertTrue(bl.getRegularization() == null || bl.getRegularization().isEmpty());
            }
        }
    }

    @Test
    void seedAndFloatReachTheNetwork() {
        MultiLayerConfiguration conf = Architectures.byName("cnn-s").configuration(factors(123));
        assertEquals(DataType.FLOAT, conf.getDataType());
        for (NeuralNetConfiguration c : conf.getConfs()) assertEquals(123, c.getSeed());
        MultiLayerNetwork net = network(Architectures.byName("cnn-s"), factors(123));
        assertEquals(DataType.FLOAT, net.params().dataType());
    }

    @Test
    void unknownFactorValuesNameTheValueAndTheAllowedOnes() {
        Architecture a = Architectures.byName("tetris-mlp");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.configuration(factors(1, "leakyrelu", "uniform", "adam", 0)));
        assertTrue(e.getMessage().contains("leakyrelu") && e.getMessage().contains("gelu"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> a.configuration(factors(1, "tanh", "xavier", "adam", 0)));
        assertTrue(e.getMessage().contains("xavier") && e.getMessage().contains("kaiming_normal"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> a.configuration(factors(1, "tanh", "uniform", "rmsprop", 0)));
        assertTrue(e.getMessage().contains("rmsprop") && e.getMessage().contains("sgd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.activation(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.activation("ReLU"));
    }
}
