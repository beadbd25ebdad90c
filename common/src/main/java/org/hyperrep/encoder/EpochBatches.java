package org.hyperrep.encoder;

import org.hyperrep.weights.ViewGenerator;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.List;
import java.util.Random;

/**
 * How the samples of one training epoch become minibatches: a seeded shuffle of the sample keys assigns every
 * sample to a batch of exactly {@code batchSize} models (the last incomplete batch is dropped, as in the paper),
 * and each batch holds both views of its models: rows i and i+N are one model, so a pair is never split between
 * Spark workers. Views are seeded by (epoch, key), so they do not depend on partitioning.
 */
public final class EpochBatches implements Serializable {
    private final int[] batchOfKey;
    private final int batches;

    /** @param sampleCount keys are 0..sampleCount-1 */
    public EpochBatches(int sampleCount, int batchSize, long seed, int epoch) {
        this.batches = sampleCount / batchSize;
        this.batchOfKey = new int[sampleCount];
        int[] order = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++) order[i] = i;
        Random rng = new Random(seed * 1_000_003L + epoch);
        for (int i = sampleCount - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int pos = 0; pos < sampleCount; pos++) batchOfKey[order[pos]] = pos < batches * batchSize ? pos / batchSize : -1;
    }

    public int batches() { return batches; }

    /** The batch of a sample this epoch, or -1 when it falls in the dropped remainder. */
    public int batchOf(int key) { return batchOfKey[key]; }

    /** The training minibatch of these samples: their two train views, in key order for determinism. */
    public static MultiDataSet trainBatch(List<TrainingSample> samples, ViewGenerator views, int epoch, EncoderSpec spec) {
        return build(samples, views, epoch, spec, true);
    }

    /** A monitoring minibatch: two test views (permutation only). */
    public static MultiDataSet testBatch(List<TrainingSample> samples, ViewGenerator views, int epoch, EncoderSpec spec) {
        return build(samples, views, epoch, spec, false);
    }

    private static MultiDataSet build(List<TrainingSample> samples, ViewGenerator views, int epoch, EncoderSpec spec,
                                      boolean train) {
        List<TrainingSample> sorted = samples.stream().sorted(java.util.Comparator.comparingInt(TrainingSample::key)).toList();
        int n = sorted.size();
        int p = sorted.get(0).weights().length;
        float[] v1 = new float[n * p];
        float[] v2 = new float[n * p];
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            TrainingSample s = sorted.get(i);
            ViewGenerator.Views v = train ? views.trainViews(s.weights(), epoch, s.key())
                    : views.testViews(s.weights(), epoch, s.key());
            System.arraycopy(v.first(), 0, v1, i * p, p);
            System.arraycopy(v.second(), 0, v2, i * p, p);
            keys[i] = s.key();
        }
        return TwoViewBatch.of(Nd4j.create(v1, new long[]{n, p}, 'c'), Nd4j.create(v2, new long[]{n, p}, 'c'), keys, spec);
    }
}
