package org.hyperrep.zoo;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.config.TrainingSpec;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.zoo.arch.ActivationKernels;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.TrainingRecipe;
import org.hyperrep.zoo.data.ImageData;
import org.hyperrep.zoo.data.ZooData;
import org.hyperrep.zoo.population.DenseStack;
import org.hyperrep.zoo.population.DropoutMasks;
import org.hyperrep.zoo.population.MemberOptimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a population of models of one dense architecture together, in lockstep: every epoch, step s of every
 * member, then the next step; every checkpoint epoch, all members are evaluated. Each member is the model
 * {@link ModelTrainer} would train for its factors — the same initial weights (its DL4J network is initialised once
 * and read), data subset, data order, dropout masks ({@link DropoutMasks}), optimizer and L2 — computed on plain Java
 * arrays ({@link DenseStack}, {@link MemberOptimizer}) instead of through DL4J's layers, whose per-call machinery is
 * nearly all of the cost of a step of a 100-parameter network. Checkpoints, metrics and the divergence rule are
 * {@link ModelTrainer}'s: a member whose score or weights stop being finite is recorded as diverged from then on,
 * and its neighbours train on.
 */
public final class PopulationTrainer {
    private final Architecture architecture;
    private final ZooData data;
    private final TrainingSpec training;

    public PopulationTrainer(Architecture architecture, ZooData data, TrainingSpec training) {
        if (!supports(architecture)) {
            throw new IllegalArgumentException(architecture.name() + " is not a dense network: train it with ModelTrainer");
        }
        this.architecture = architecture;
        this.data = data;
        this.training = training;
    }

    /** Whether population training covers the architecture: networks of dense layers only. */
    public static boolean supports(Architecture architecture) {
        return architecture.layout().layers().stream().map(LayerLayout::kind).allMatch("dense"::equals);
    }

    /** The checkpoints of every member, in the order of {@code population}. */
    public List<List<Checkpoint>> train(List<GeneratingFactors> population) {
        List<Member> members = new ArrayList<>(population.size());
        for (GeneratingFactors f : population) members.add(new Member(f));
        List<Integer> wanted = training.checkpointEpochs();
        int lastEpoch = wanted.get(wanted.size() - 1);
        int bs = training.batchSize();
        try (DropoutMasks.Source generator = new DropoutMasks.Source()) {
            for (int epoch = 0; epoch <= lastEpoch; epoch++) {
                if (epoch > 0) {
                    int steps = 0;
                    for (Member m : members) {
                        if (m.diverged) continue;
                        m.perm = ModelTrainer.permutation(m.train.size(), m.order);
                        steps = Math.max(steps, (m.perm.length + bs - 1) / bs);
                    }
                    for (int s = 0; s < steps; s++) {
                        for (Member m : members) {
                            if (!m.diverged && s * bs < m.perm.length && !m.step(s * bs, bs, generator)) m.diverged = true;
                        }
                    }
                }
                if (wanted.contains(epoch)) {
                    for (Member m : members) m.checkpoint(epoch);
                }
            }
        } catch (Exception e) {
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e);
        }
        List<List<Checkpoint>> out = new ArrayList<>(members.size());
        for (Member m : members) out.add(m.checkpoints);
        return out;
    }

    /** One model of the population: its parameters, optimizer state, data and checkpoints. */
    private final class Member {
        final GeneratingFactors factors;
        final DenseStack stack;
        final float[] w;
        final double[] grad;
        final MemberOptimizer optimizer;
        final ImageData train, evalTrain;
        final java.util.Random order;
        final DropoutMasks dropout;
        final float[][] masks;
        final double l2;
        final boolean[] decayed;
        final List<Checkpoint> checkpoints = new ArrayList<>();
        int[] perm = new int[0];
        int[] rows;
        boolean diverged;

        Member(GeneratingFactors f) {
            this.factors = f;
            // the member's initial weights are DL4J's for these factors, and so is the generator state after them
            MultiLayerNetwork net = new MultiLayerNetwork(architecture.configuration(f));
            net.init();
            this.dropout = TrainingRecipe.hasDropout(f)
                    ? DropoutMasks.continuingThreadGenerator(TrainingRecipe.retainProbability(f.dropout())) : null;
            this.w = architecture.toCanonical(net);
            this.stack = new DenseStack(architecture.layout(), ActivationKernels.code(f));
            this.decayed = stack.weightMask();
            this.grad = new double[w.length];
            this.optimizer = MemberOptimizer.of(f, decayed);
            this.l2 = f.weightDecay();
            this.train = ModelTrainer.trainingSubset(data.train(), f);
            this.evalTrain = training.evalTrainMax() > 0 ? train.head(training.evalTrainMax()) : train;
            this.order = new java.util.Random(f.seed() * 31 + 7);
            this.masks = dropout == null ? null : new float[stack.hiddenLayers()][];
            for (int l = 0; masks != null && l < masks.length; l++) {
                masks[l] = new float[training.batchSize() * stack.hiddenUnits(l)];
            }
            this.rows = new int[training.batchSize()];
        }

        /** The minibatch perm[from, from + bs); false when DL4J's score for it would not be finite. */
        boolean step(int from, int bs, DropoutMasks.Source generator) {
            int n = Math.min(bs, perm.length - from);
            System.arraycopy(perm, from, rows, 0, n);
            if (dropout != null) {
                for (int l = 0; l < masks.length; l++) dropout.next(generator, n, stack.hiddenUnits(l), masks[l]);
            }
            double loss = stack.gradient(w, train, rows, n, masks, grad);
            double score = loss / n + (l2 > 0 ? 0.5 * l2 * sumOfSquaredWeights() : 0);
            optimizer.step(w, grad, n);
            return Double.isFinite(score);
        }

        private double sumOfSquaredWeights() {
            double s = 0;
            for (int j = 0; j < w.length; j++) if (decayed[j]) s += (double) w[j] * w[j];
            return s;
        }

        void checkpoint(int epoch) {
            float[] weights = w.clone();
            Checkpoint.Metrics m = diverged || !allFinite(weights) ? Checkpoint.Metrics.NAN : evaluate();
            if (!m.isFinite()) diverged = true;
            checkpoints.add(new Checkpoint(epoch, diverged ? Checkpoint.Status.DIVERGED : Checkpoint.Status.OK,
                    diverged ? Checkpoint.Metrics.NAN : m, weights));
        }

        private Checkpoint.Metrics evaluate() {
            double[] tr = accuracyAndLoss(evalTrain), va = accuracyAndLoss(data.validation()), te = accuracyAndLoss(data.test());
            return new Checkpoint.Metrics(tr[0], tr[1], va[0], va[1], te[0], te[1]);
        }

        private double[] accuracyAndLoss(ImageData d) {
            double[] r = stack.evaluate(w, d);
            return new double[]{r[0] / d.size(), r[1] / d.size()};
        }
    }

    private static boolean allFinite(float[] w) {
        for (float v : w) if (!Float.isFinite(v)) return false;
        return true;
    }
}
