package org.hyperrep.encoder;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.hyperrep.weights.ViewGenerator;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;

/**
 * Measures the learner's loss and its parts on a fixed set of samples, without training: the contrastive loss
 * (NT-Xent on the projection), the reconstruction MSE and its R² (1 − SSE / total sum of squares around each
 * weight's mean), and the total γ·NT-Xent + (1−γ)·MSE. Samples are taken in full batches; a set smaller than a
 * batch (a small zoo's validation split) is measured as one batch of all its samples.
 */
public final class LossMonitor {
    /** Loss parts on one sample set; NaN where the model has no such output. */
    public record Losses(double total, double contrastive, double reconstruction, double reconstructionR2) {
    }

    private LossMonitor() {}

    public static Losses measure(ComputationGraph graph, List<TrainingSample> samples, ViewGenerator views,
                                 EncoderSpec spec, int batchSize, boolean trainViews) {
        List<String> outputs = HyperRepresentationModel.outputs(spec);
        double ntSum = 0, mseSum = 0, sse = 0;
        int batches = 0;
        long values = 0;
        double[] sum = null, sumSq = null;
        int rows = 0;
        // Full batches only (NT-Xent depends on the batch size); a set smaller than one batch is one batch.
        int size = Math.min(batchSize, samples.size());
        for (int from = 0; size > 0 && from + size <= samples.size(); from += size) {
            List<TrainingSample> part = samples.subList(from, from + size);
            MultiDataSet mds = trainViews ? EpochBatches.trainBatch(part, views, -1, spec)
                    : EpochBatches.testBatch(part, views, -1, spec);
            INDArray[] out = graph.output(false, mds.getFeatures());
            for (int o = 0; o < outputs.size(); o++) {
                if (outputs.get(o).equals(HyperRepresentationModel.RECONSTRUCTION)) {
                    INDArray target = mds.getLabels(o);
                    INDArray diff = out[o].sub(target);
                    double s = diff.mul(diff).sumNumber().doubleValue();
                    sse += s;
                    values += target.length();
                    mseSum += s / target.length();
                    float[] t = target.dup('c').data().asFloat();
                    int p = (int) target.size(1);
                    if (sum == null) {
                        sum = new double[p];
                        sumSq = new double[p];
                    }
                    for (int i = 0; i < t.length; i++) {
                        sum[i % p] += t[i];
                        sumSq[i % p] += (double) t[i] * t[i];
                    }
                    rows += (int) target.size(0);
                } else {
                    ntSum += new NtXentLoss(spec.tau(), 1.0).computeScore(mds.getLabels(o), out[o],
                            new ActivationIdentity(), null, true);
                }
            }
            batches++;
        }
        if (batches == 0) return new Losses(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double nt = spec.hasContrastive() ? ntSum / batches : Double.NaN;
        double mse = spec.hasReconstruction() ? mseSum / batches : Double.NaN;
        double r2 = Double.NaN;
        if (sum != null) {
            double sst = 0;
            for (int j = 0; j < sum.length; j++) sst += sumSq[j] - sum[j] * sum[j] / rows;
            r2 = 1 - sse / sst;
        }
        double total = (spec.hasContrastive() ? spec.gamma() * nt : 0) + (spec.hasReconstruction() ? (1 - spec.gamma()) * mse : 0);
        return new Losses(total, nt, mse, r2);
    }
}
