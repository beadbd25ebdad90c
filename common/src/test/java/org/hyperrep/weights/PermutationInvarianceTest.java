package org.hyperrep.weights;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.zoo.GeneratingFactors;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.hyperrep.zoo.arch.NetworkInputs;
import org.hyperrep.zoo.Nd4jThreads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The point of the permutation augmentation (docs/method.md): a permuted weight vector is the same network. Each
 * architecture is trained briefly on real data (Tetris; the Fashion-MNIST fixture, in three identical channels
 * for cnn-s3), permuted, loaded back into a DL4J network, and run on real held-out images.
 */
class PermutationInvarianceTest {
    /** Softmax outputs of the permuted network agree this well (only summation order changes). */
    private static final double TOLERANCE = 1e-5;

    private static int[] savedThreads;

    /** One native thread: on two shared cores OpenMP's spinning threads made training 2–3× slower. */
    @BeforeAll
    static void oneThread() {
        savedThreads = new int[]{Nd4j.getEnvironment().maxThreads(), Nd4j.getEnvironment().maxMasterThreads(),
                NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()};
        Nd4jThreads.limit(1);
    }

    @AfterAll
    static void restoreThreads() {
        Nd4j.getEnvironment().setMaxThreads(savedThreads[0]);
        Nd4j.getEnvironment().setMaxMasterThreads(savedThreads[1]);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(savedThreads[2]);
    }

    /**
     * Both activations, dense and conv layers, and one model trained with dropout (inference runs without). The
     * dropout model gets 6 epochs: at 3, its training accuracy over 16 seeds averaged 0.19 (NCHW layers) and 0.18
     * (NHWC), under the 0.2 this test asks for, and seed 5 passed by luck until the NHWC layout drew other masks.
     */
    static Stream<Arguments> trainedModels() {
        return Stream.of(
                Arguments.of("tetris-mlp", "relu", 0.0, 1e-2, 40),
                Arguments.of("cnn-s", "tanh", 0.5, 3e-3, 6),
                Arguments.of("cnn-s3", "tanh", 0.0, 3e-3, 3),
                Arguments.of("cnn-unterthiner", "relu", 0.0, 3e-3, 3));
    }

    @ParameterizedTest(name = "{0} {1} dropout {2}")
    @MethodSource("trainedModels")
    void permutedWeightsComputeTheSameFunction(String name, String activation, double dropout, double lr,
                                               int epochs) {
        Architecture arch = Architectures.byName(name);
        TrainedModels.Data data = TrainedModels.dataFor(arch);
        GeneratingFactors factors = new GeneratingFactors(5, activation, "kaiming_uniform", "adam", lr, 1e-4,
                dropout, 1.0);
        long t0 = System.nanoTime();
        MultiLayerNetwork trained = TrainedModels.train(arch, factors, data.train(), epochs, 50);
        double accuracy = TrainedModels.accuracy(trained, arch, data.train());
        float[] weights = arch.toCanonical(trained);
        long t1 = System.nanoTime();

        INDArray x = NetworkInputs.features(arch, data.test(), 0, data.test().size());
        MultiLayerNetwork probe = TrainedModels.network(arch, factors);
        INDArray reference = outputs(arch, probe, weights, x);
        assertEquals(0.0, maxAbsDiff(trained.output(x, false), reference), 0.0, "fromCanonical reproduces the model");
        assertTrue(accuracy > 2.0 / arch.numClasses(), name + " trained only to " + accuracy + " training accuracy");

        PermutationAugmentation permutations = new PermutationAugmentation(arch.layout(), 1000, 17L);
        int[] sets = permutations.exhaustive()
                ? IntStream.range(1, permutations.count()).toArray()
                : new int[]{1, 2, 3, 500, 999};
        Random rng = new Random(3);
        double worst = 0;
        for (int k : sets) {
            float[] permuted = permutations.apply(weights, k);
            assertFalse(Arrays.equals(weights, permuted), "set " + k + " moves weights");
            INDArray out = outputs(arch, probe, permuted, x);
            double diff = maxAbsDiff(reference, out);
            worst = Math.max(worst, diff);
            assertTrue(diff <= TOLERANCE, name + " set " + k + ": outputs differ by " + diff);
            if (rng.nextInt(4) == 0) {
                // A permuted vector permuted again is still the same network.
                float[] twice = permutations.applyRandom(permuted, rng);
                assertTrue(maxAbsDiff(reference, outputs(arch, probe, twice, x)) <= TOLERANCE);
            }
        }
        System.out.printf("%s: training accuracy %.3f, %d sets, worst output difference %.2e, train %.1fs, check %.1fs%n",
                name, accuracy, sets.length, worst, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);

        // Negative control: rows of one hidden layer permuted, the next layer's columns left alone.
        NeuronTokenizer tokenizer = new NeuronTokenizer(arch.layout());
        for (int layer = 0; layer < arch.layout().layers().size() - 1; layer++) {
            float[][][] tokens = tokenizer.tokenize(weights);
            float[][] rows = tokens[layer];
            float[][] shifted = new float[rows.length][];
            for (int u = 0; u < rows.length; u++) shifted[u] = rows[(u + 1) % rows.length];
            tokens[layer] = shifted;
            float[] rowsOnly = tokenizer.detokenize(tokens);
            double diff = maxAbsDiff(reference, outputs(arch, probe, rowsOnly, x));
            assertTrue(diff > 1e-3, name + " layer " + layer + ": rows alone changed outputs by only " + diff);
        }
    }

    private static INDArray outputs(Architecture arch, MultiLayerNetwork net, float[] weights, INDArray x) {
        arch.fromCanonical(net, weights);
        return net.output(x, false);
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
    }
}
