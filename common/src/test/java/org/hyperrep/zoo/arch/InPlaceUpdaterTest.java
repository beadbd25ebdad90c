package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.hyperrep.zoo.GeneratingFactors;
import org.hyperrep.zoo.ModelTrainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.hyperrep.zoo.arch.ArchFixtures.randomInput;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link InPlaceUpdater}: training with it gives bit for bit the parameters, updater state and scores of DL4J's own
 * updater (both optimizers, L2, dropout, fused and DL4J layers), because it takes DL4J's standard path on the same
 * memory; it recognises the network's gradient on every step and leaves any other gradient to DL4J's external path.
 */
class InPlaceUpdaterTest {

    @ParameterizedTest(name = "{0} {1} {2} dropout {3}")
    @CsvSource({
            "cnn-s, adam, tanh, 0.5",
            "cnn-s, sgd, relu, 0.0",
            "cnn-unterthiner, adam, gelu, 0.2",
            "tetris-mlp, sgd, sigmoid, 0.0",
            "tetris-mlp, adam, tanh, 0.3",
    })
    void trainsExactlyAsDl4jsUpdater(String arch, String optimizer, String activation, double dropout) {
        Architecture a = Architectures.byName(arch);
        GeneratingFactors f = new GeneratingFactors(11, activation, "kaiming_uniform", optimizer, 3e-3, 5e-3, dropout, 1.0);
        MultiLayerNetwork dl4j = new MultiLayerNetwork(a.configuration(f));
        dl4j.init();
        MultiLayerNetwork inPlace = ModelTrainer.newNetwork(a, f);
        assertInstanceOf(InPlaceUpdater.class, inPlace.getUpdater());
        assertEquals(dl4j.params(), inPlace.params());

        int steps = 6, n = 9;
        for (int s = 0; s < steps; s++) {
            INDArray x = randomInput(a, n, 100 + s);
            INDArray y = Nd4j.zeros(DataType.FLOAT, n, a.numClasses());
            for (int i = 0; i < n; i++) y.putScalar(i, (i * 7 + s) % a.numClasses(), 1f);
            Nd4j.getRandom().setSeed(500 + s);   // the same dropout masks for both
            dl4j.fit(x, y);
            Nd4j.getRandom().setSeed(500 + s);
            inPlace.fit(x, y);
            assertEquals(dl4j.score(), inPlace.score(), "score after step " + (s + 1));
        }
        assertEquals(steps, ((InPlaceUpdater) inPlace.getUpdater()).inPlaceSteps(), "steps on the in-place path");
        assertNotEquals(0.0, dl4j.params().sub(paramsAt0(a, f)).amaxNumber().doubleValue(), "training changed nothing");
        assertEquals(dl4j.params(), inPlace.params(), "parameters");
        assertEquals(dl4j.getUpdater().getStateViewArray(), inPlace.getUpdater().getStateViewArray(), "updater state");
    }

    private static INDArray paramsAt0(Architecture a, GeneratingFactors f) {
        MultiLayerNetwork net = new MultiLayerNetwork(a.configuration(f));
        net.init();
        return net.params();
    }

    /**
     * The point of it: DL4J's standard path builds no per-parameter views per step. Measured as Java heap allocated
     * by the training thread (a count of bytes, not a time): cnn-s at batch 32 allocated ~220 KiB per step on the
     * external path and ~60 KiB on the standard one (bench/train-step).
     */
    @Test
    void aTrainingStepAllocatesFarLessThanOnDl4jsExternalPath() {
        Architecture a = Architectures.byName("cnn-s");
        GeneratingFactors f = new GeneratingFactors(5, "tanh", "kaiming_uniform", "adam", 1e-3, 1e-4, 0.0, 1.0);
        MultiLayerNetwork dl4j = new MultiLayerNetwork(a.configuration(f));
        dl4j.init();
        MultiLayerNetwork inPlace = ModelTrainer.newNetwork(a, f);
        INDArray x = randomInput(a, 32, 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int i = 0; i < 32; i++) y.putScalar(i, i % 10, 1f);
        long external = allocatedPerStep(dl4j, x, y), standard = allocatedPerStep(inPlace, x, y);
        assertTrue(standard < 0.6 * external, "bytes per step: " + standard + " in place, " + external + " external");
    }

    private static long allocatedPerStep(MultiLayerNetwork net, INDArray x, INDArray y) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 100; i++) net.fit(x, y);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) net.fit(x, y);
        return (threads.getCurrentThreadAllocatedBytes() - before) / 100;
    }

    @Test
    void anyOtherGradientTakesDl4jsExternalPath() {
        Architecture a = Architectures.byName("tetris-mlp");
        GeneratingFactors f = new GeneratingFactors(3, "tanh", "kaiming_uniform", "adam", 1e-2, 0, 0, 1.0);
        MultiLayerNetwork net = ModelTrainer.newNetwork(a, f);
        InPlaceUpdater u = (InPlaceUpdater) net.getUpdater();
        INDArray before = net.params().dup();
        INDArray separate = Nd4j.ones(DataType.FLOAT, 1, net.numParams());   // not the network's gradient array
        u.update(new DefaultGradient(separate), 0, 0, 1, LayerWorkspaceMgr.noWorkspaces());
        assertEquals(0, u.inPlaceSteps());
        assertEquals(before, net.params(), "the updater changes the gradient, not the parameters");
        assertNotEquals(1.0, separate.getDouble(0), "Adam's update written into the given gradient");
    }

    @Test
    void sameMemoryMeansSameStartLengthAndType() {
        INDArray base = Nd4j.arange(0, 12).castTo(DataType.FLOAT).reshape(1, 12);
        assertTrue(InPlaceUpdater.sameMemory(base, base.reshape(12)));
        assertFalse(InPlaceUpdater.sameMemory(base, base.dup()));
        assertFalse(InPlaceUpdater.sameMemory(base, base.get(NDArrayIndex.point(0), NDArrayIndex.interval(1, 12))));
        assertFalse(InPlaceUpdater.sameMemory(base, base.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 11))));
        assertFalse(InPlaceUpdater.sameMemory(base.reshape(3, 4), base.reshape(12)), "a matrix is not a vector");
        assertFalse(InPlaceUpdater.sameMemory(base, base.castTo(DataType.DOUBLE)));
    }
}
