package org.hyperrep.zoo;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.config.TrainingSpec;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.InPlaceUpdater;
import org.hyperrep.zoo.arch.NetworkInputs;
import org.hyperrep.zoo.data.ImageData;
import org.hyperrep.zoo.data.ZooData;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains one model of a zoo with DL4J and records its checkpoints: at each chosen epoch (0 = the initialization)
 * the canonical weights and train/validation/test accuracy and loss. A model whose loss or weights stop being
 * finite is kept: that checkpoint and every later one are recorded as {@code diverged}.
 */
public final class ModelTrainer {
    private static final int EVAL_BATCH = 1000;

    private final Architecture architecture;
    private final ZooData data;
    private final TrainingSpec training;

    public ModelTrainer(Architecture architecture, ZooData data, TrainingSpec training) {
        this.architecture = architecture;
        this.data = data;
        this.training = training;
    }

    public List<Checkpoint> train(GeneratingFactors factors) {
        MultiLayerNetwork net = newNetwork(architecture, factors);
        ImageData trainSet = trainingSubset(data.train(), factors);
        ImageData evalTrain = training.evalTrainMax() > 0 ? trainSet.head(training.evalTrainMax()) : trainSet;

        List<Checkpoint> out = new ArrayList<>();
        List<Integer> wanted = training.checkpointEpochs();
        Random order = new Random(factors.seed() * 31 + 7);
        boolean diverged = false;
        for (int epoch = 0; epoch <= training.epochs() && out.size() < wanted.size(); epoch++) {
            if (epoch > 0 && !diverged) {
                diverged = !fitEpoch(net, trainSet, order);
            }
            if (!wanted.contains(epoch)) continue;
            float[] weights = architecture.toCanonical(net);
            Checkpoint.Metrics m = diverged || !allFinite(weights) ? Checkpoint.Metrics.NAN : evaluate(net, evalTrain);
            if (!m.isFinite()) diverged = true;
            out.add(new Checkpoint(epoch, diverged ? Checkpoint.Status.DIVERGED : Checkpoint.Status.OK,
                    diverged ? Checkpoint.Metrics.NAN : m, weights));
        }
        return out;
    }

    /** A zoo model's initialised network, with DL4J's updater on its in-place path ({@link InPlaceUpdater}). */
    public static MultiLayerNetwork newNetwork(Architecture architecture, GeneratingFactors factors) {
        MultiLayerNetwork net = new MultiLayerNetwork(architecture.configuration(factors));
        net.init();
        return InPlaceUpdater.install(net);
    }

    private Checkpoint.Metrics evaluate(MultiLayerNetwork net, ImageData evalTrain) {
        double[] tr = accuracyAndLoss(net, evalTrain);
        double[] va = accuracyAndLoss(net, data.validation());
        double[] te = accuracyAndLoss(net, data.test());
        return new Checkpoint.Metrics(tr[0], tr[1], va[0], va[1], te[0], te[1]);
    }

    /** The model's share of the training set: a seeded subset of {@code trainFraction} of the images. */
    static ImageData trainingSubset(ImageData train, GeneratingFactors f) {
        if (f.trainFraction() >= 1.0) return train;
        int n = Math.max(1, (int) Math.round(train.size() * f.trainFraction()));
        int[] idx = permutation(train.size(), new Random(f.seed() ^ 0x5DEECE66DL));
        return train.select(java.util.Arrays.copyOf(idx, n));
    }

    /** One epoch of minibatch training in a shuffled order; false when the loss stopped being finite. */
    private boolean fitEpoch(MultiLayerNetwork net, ImageData train, Random order) {
        int[] perm = permutation(train.size(), order);
        int bs = training.batchSize();
        for (int from = 0; from < perm.length; from += bs) {
            int to = Math.min(perm.length, from + bs);
            int[] idx = java.util.Arrays.copyOfRange(perm, from, to);
            net.fit(NetworkInputs.dataSet(architecture, train, idx));
            if (!Double.isFinite(net.score())) return false;
        }
        return true;
    }

    /** {accuracy, mean cross-entropy} of the network on the images. */
    double[] accuracyAndLoss(MultiLayerNetwork net, ImageData d) {
        long correct = 0;
        double loss = 0;
        int k = d.numClasses();
        int[] labels = d.labels();
        for (int from = 0; from < d.size(); from += EVAL_BATCH) {
            int to = Math.min(d.size(), from + EVAL_BATCH);
            float[] p = net.output(NetworkInputs.features(architecture, d, from, to), false).dup('c').data().asFloat();
            for (int i = 0; i < to - from; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
                int y = labels[from + i];
                if (best == y) correct++;
                loss -= Math.log(Math.max(p[i * k + y], 1e-12));
            }
        }
        return new double[]{correct / (double) d.size(), loss / d.size()};
    }

    static int[] permutation(int n, Random rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static boolean allFinite(float[] w) {
        for (float v : w) if (!Float.isFinite(v)) return false;
        return true;
    }
}
