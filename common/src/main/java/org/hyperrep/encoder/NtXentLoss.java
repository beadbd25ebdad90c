package org.hyperrep.encoder;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Objects;

/**
 * NT-Xent, the normalised temperature-scaled cross entropy of SimCLR, as used by the hyper-representation paper
 * (docs/method.md), with its analytic gradient (docs/stack.md).
 *
 * <p>A minibatch holds 2N rows: rows i and i+N are the two views of one model. With u = z/‖z‖ and
 * S = u·uᵀ/τ with the diagonal excluded, row i's loss is logsumexp_{j≠i} S_ij − S_{i,p(i)}, where p(i) is its
 * partner row; the score is {@code weight} times the mean over the 2N rows.
 *
 * <p><b>Labels</b>: [2N, ≥1]; column 0 holds a numeric key of the model each row comes from (other columns are
 * ignored). The loss throws if rows i and i+N carry different keys — the only way to notice that a minibatch
 * was split or reshuffled somewhere (e.g. re-batching under Spark), which would otherwise train on wrong pairs.
 * Keys must be exactly representable in the network's data type: integers below 2^24 for float networks.
 */
public class NtXentLoss implements ILossFunction {
    private static final double EXCLUDED = -1e30;
    private static final double MIN_NORM = 1e-12;

    @JsonProperty
    private double tau;
    @JsonProperty
    private double weight;

    public NtXentLoss() { this(0.1, 1.0); }   // Jackson

    /**
     * @param tau    temperature
     * @param weight factor on the loss (γ in γ·NT-Xent + (1−γ)·MSE)
     */
    public NtXentLoss(double tau, double weight) {
        if (tau <= 0) throw new IllegalArgumentException("tau must be > 0, got " + tau);
        this.tau = tau;
        this.weight = weight;
    }

    public double tau() { return tau; }

    public double weight() { return weight; }

    /** Everything one evaluation needs: normalised rows, softmax of similarities, per-row losses. */
    private final class Batch {
        final INDArray z;        // activations [M, k]
        final INDArray norms;    // [M, 1]
        final INDArray u;        // z / ‖z‖
        final INDArray probs;    // softmax over j ≠ i of S_ij [M, M]
        final INDArray rowLoss;  // [M, 1], unweighted
        final int n;

        Batch(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
            if (mask != null) throw new UnsupportedOperationException("NT-Xent does not support label masks");
            long m = preOutput.size(0);
            if (m % 2 != 0 || m < 2) {
                throw new IllegalArgumentException("NT-Xent needs an even number (2N >= 2) of rows, view-1 block then "
                        + "view-2 block; got " + m);
            }
            n = (int) (m / 2);
            checkPairs(labels, n);
            z = activation.getActivation(preOutput.dup(), true);
            norms = Transforms.max(z.norm2(true, 1), MIN_NORM, false);
            u = z.divColumnVector(norms);
            INDArray s = u.mmul(u.transpose()).divi(tau);
            for (int i = 0; i < m; i++) s.putScalar(i, i, EXCLUDED);
            s.subiColumnVector(s.max(true, 1));                 // shift by the row maximum; cancels out below
            probs = Transforms.exp(s, true);
            INDArray rowSum = probs.sum(true, 1);
            probs.diviColumnVector(rowSum);
            rowLoss = Transforms.log(rowSum, false);             // logsumexp_j S_ij − max_i
            for (int i = 0; i < m; i++) {
                rowLoss.putScalar(i, 0, rowLoss.getDouble(i, 0) - s.getDouble(i, partner(i)));
            }
        }

        int partner(int i) { return i < n ? i + n : i - n; }
    }

    private static void checkPairs(INDArray labels, int n) {
        if (labels == null || labels.rank() != 2 || labels.size(0) != 2L * n || labels.size(1) < 1) {
            throw new IllegalArgumentException("NT-Xent labels must be [" + 2 * n + ", >=1] with the model key in "
                    + "column 0, got " + (labels == null ? "null" : java.util.Arrays.toString(labels.shape())));
        }
        StringBuilder broken = new StringBuilder();
        int count = 0;
        for (int i = 0; i < n; i++) {
            double a = labels.getDouble(i, 0);
            double b = labels.getDouble(i + n, 0);
            if (a != b) {
                if (count < 10) broken.append(String.format(" rows %d and %d (models %s and %s);", i, i + n, key(a), key(b)));
                count++;
            }
        }
        if (count > 0) {
            throw new IllegalStateException("NT-Xent minibatch pairing is broken: " + count + " of " + n
                    + " view pairs are not the same model:" + broken + " rows i and i+" + n
                    + " must be the two views of one model");
        }
    }

    private static String key(double k) {
        return k == Math.rint(k) && Math.abs(k) < 1e15 ? Long.toString((long) k) : Double.toString(k);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        INDArray rows = computeScoreArray(labels, preOutput, activationFn, mask);
        double score = rows.sumNumber().doubleValue();
        return average ? score / rows.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return new Batch(labels, preOutput, activationFn, mask).rowLoss.muli(weight);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return gradient(new Batch(labels, preOutput, activationFn, mask), preOutput, activationFn);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        Batch b = new Batch(labels, preOutput, activationFn, mask);
        double score = weight * b.rowLoss.sumNumber().doubleValue();
        if (average) score /= b.rowLoss.size(0);
        return new Pair<>(score, gradient(b, preOutput, activationFn));
    }

    /** dScore/dPreOutput of the summed (not averaged) loss; DL4J divides by the minibatch size itself. */
    private INDArray gradient(Batch b, INDArray preOutput, IActivation activationFn) {
        int m = 2 * b.n;
        INDArray g = b.probs.dup();                       // G = P − Y
        for (int i = 0; i < m; i++) g.putScalar(i, b.partner(i), g.getDouble(i, b.partner(i)) - 1);
        INDArray dU = g.add(g.transpose()).mmul(b.u).muli(weight / tau);
        // through u = z/‖z‖: dz = (du − u·(u·du)) / ‖z‖
        INDArray radial = dU.mul(b.u).sum(true, 1);
        INDArray dZ = dU.subi(b.u.mulColumnVector(radial)).diviColumnVector(b.norms);
        return activationFn.backprop(preOutput.dup(), dZ).getFirst();
    }

    @Override
    public String name() { return toString(); }

    @Override
    public String toString() { return "NtXentLoss(tau=" + tau + ", weight=" + weight + ")"; }

    @Override
    public boolean equals(Object o) { return o instanceof NtXentLoss l && l.tau == tau && l.weight == weight; }

    @Override
    public int hashCode() { return Objects.hash(tau, weight); }
}
