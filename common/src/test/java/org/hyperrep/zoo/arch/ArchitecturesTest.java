package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.GeneratingFactors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.hyperrep.zoo.arch.ArchFixtures.factors;
import static org.hyperrep.zoo.arch.ArchFixtures.network;
import static org.hyperrep.zoo.arch.ArchFixtures.randomInput;
import static org.junit.jupiter.api.Assertions.*;

class ArchitecturesTest {

    @Test
    void knowsTheFourArchitecturesOfMethodTable() {
        assertEquals(List.of("tetris-mlp", "cnn-s", "cnn-s3", "cnn-unterthiner"), Architectures.names());
        for (String name : Architectures.names()) {
            Architecture a = Architectures.byName(name);
            assertEquals(name, a.name());
            assertEquals(name, a.layout().architecture());
        }
    }

    @Test
    void unknownNameIsRejectedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.byName("cnn-xl"));
        assertTrue(e.getMessage().contains("cnn-xl"), e.getMessage());
        assertTrue(e.getMessage().contains("cnn-unterthiner") && e.getMessage().contains("tetris-mlp"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"tetris-mlp, 100", "cnn-s, 2464", "cnn-s3, 2864", "cnn-unterthiner, 4970"})
    void parameterCountsAreExact(String name, int expected) {
        Architecture a = Architectures.byName(name);
        assertEquals(expected, a.layout().size());
        assertEquals(expected, a.parameterCount());
        // With and without dropout layers: dropout must never add parameters.
        assertEquals(expected, network(a, factors(1)).numParams());
        assertEquals(expected, network(a, factors(1, "relu", "normal", "sgd", 0.5)).numParams());
    }

    @ParameterizedTest
    @CsvSource({"tetris-mlp, 9, '16 5'", "cnn-s, 48, '26 201 25 37 21'", "cnn-s3, 48, '76 201 25 37 21'",
            "cnn-unterthiner, 58, '10 145 145 17'"})
    void tokenCountsAndWidthsMatchMethod(String name, int tokens, String widths) {
        WeightLayout layout = Architectures.byName(name).layout();
        assertEquals(tokens, layout.tokenCount());
        assertEquals(widths, String.join(" ", layout.layers().stream()
                .map(l -> String.valueOf(l.tokenWidth())).toList()));
    }

    @Test
    void denseLayerAfterTheConvFlattenConsumesBlocksOfNine() {
        LayerLayout dense1 = Architectures.byName("cnn-s").layout().layer("dense1");
        assertEquals(9, dense1.inputsPerUnit());
        assertEquals(36, dense1.in());
        assertEquals(1, Architectures.byName("cnn-unterthiner").layout().layer("dense1").inputsPerUnit());
    }

    @Test
    void inputShapes() {
        assertArrayEquals(new int[]{1, 1, 16}, Architectures.byName("tetris-mlp").inputShape());
        assertArrayEquals(new int[]{1, 28, 28}, Architectures.byName("cnn-s").inputShape());
        assertArrayEquals(new int[]{3, 28, 28}, Architectures.byName("cnn-s3").inputShape());
        assertArrayEquals(new int[]{1, 28, 28}, Architectures.byName("cnn-unterthiner").inputShape());
        assertEquals(4, Architectures.byName("tetris-mlp").numClasses());
    }

    @Test
    void forwardPassWorksForEveryArchitectureActivationAndDropout() {
        for (String name : Architectures.names()) {
            Architecture a = Architectures.byName(name);
            INDArray x = randomInput(a, 3, 7);
            for (String act : TrainingRecipe.ACTIVATIONS) {
                for (double p : new double[]{0.0, 0.5}) {
                    INDArray out = network(a, factors(3, act, "kaiming_normal", "adam", p)).output(x, false);
                    String what = name + "/" + act + "/p=" + p;
                    assertArrayEquals(new long[]{3, a.numClasses()}, out.shape(), what);
                    for (int i = 0; i < 3; i++) {
                        INDArray row = out.getRow(i);
                        assertEquals(1.0, row.sumNumber().doubleValue(), 1e-5, what);
                        assertTrue(row.minNumber().doubleValue() >= 0, what);
                    }
                }
            }
        }
    }

    @Test
    void dropoutLayersAreTheIdentityAtInferenceTime() {
        // Same canonical weights in a network with and one without dropout layers: identical outputs.
        for (String name : Architectures.names()) {
            Architecture a = Architectures.byName(name);
            MultiLayerNetwork plain = network(a, factors(5, "relu", "kaiming_uniform", "adam", 0.0));
            MultiLayerNetwork dropped = network(a, factors(6, "relu", "kaiming_uniform", "adam", 0.5));
            a.fromCanonical(dropped, a.toCanonical(plain));
            INDArray x = randomInput(a, 4, 11);
            assertEquals(plain.output(x, false), dropped.output(x, false), name);
        }
    }

    @Test
    void oneEpochOfTrainingChangesTheWeights() {
        Architecture a = Architectures.byName("tetris-mlp");
        Nd4j.getRandom().setSeed(42);
        INDArray x = randomInput(a, 8, 42);
        INDArray y = Nd4j.eye(4).repeat(0, 2).castTo(x.dataType());
        for (String optimizer : TrainingRecipe.OPTIMIZERS) {
            MultiLayerNetwork net = network(a, factors(9, "tanh", "uniform", optimizer, 0.0));
            float[] before = a.toCanonical(net);
            double scoreBefore = net.score(new DataSet(x, y));
            net.fit(new DataSet(x, y));
            float[] after = a.toCanonical(net);
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                if (before[i] != after[i]) changed++;
            }
            // Every weight sits on a path to the loss, so one step moves all 100 of them.
            assertEquals(100, changed, optimizer);
            assertTrue(Double.isFinite(net.score(new DataSet(x, y))) && Double.isFinite(scoreBefore), optimizer);
        }
    }

    @Test
    void trainingOnAFixedBatchLowersTheLoss() {
        Architecture a = Architectures.byName("tetris-mlp");
        INDArray x = randomInput(a, 8, 43);
        INDArray y = Nd4j.eye(4).repeat(0, 2).castTo(x.dataType());
        GeneratingFactors f = new GeneratingFactors(4, "relu", "kaiming_uniform", "adam", 1e-2, 0, 0, 1);
        MultiLayerNetwork net = network(a, f);
        DataSet batch = new DataSet(x, y);
        double before = net.score(batch);
        for (int i = 0; i < 50; i++) net.fit(batch);
        assertTrue(net.score(batch) < before, "loss " + before + " -> " + net.score(batch));
    }

    @Test
    void javaSerializationKeepsTheSharedInstance() throws Exception {
        for (String name : Architectures.names()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(Architectures.byName(name));
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertSame(Architectures.byName(name), in.readObject());
            }
        }
    }
}
