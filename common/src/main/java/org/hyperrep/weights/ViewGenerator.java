package org.hyperrep.weights;

import java.io.Serializable;
import java.util.Random;

/**
 * Makes the augmented views of a weight vector that the representation learner trains on (docs/method.md).
 * A <em>train view</em> is: a random permutation set (if on), then Gaussian noise (if σ > 0), then erasing (if on).
 * Noise comes before erasing so an erased block is exactly zero. A <em>test view</em> is the permutation only.
 * Each view draws its own permutation. The reconstruction target is the view itself, so only views are returned.
 * Embeddings for downstream tasks use the unaugmented vector and need no view.
 *
 * <p><b>Determinism.</b> Every method taking a {@link Random} consumes it in a fixed order (first view, then
 * second). The methods taking {@code (epoch, sample)} seed a fresh generator from (spec seed, epoch, sample) by
 * {@link #random}, so a view depends only on those three numbers, not on batch order, partitioning or threads:
 * Spark executors make the same views whatever runs where. {@code sample} must be a stable id of the vector
 * (e.g. its row number in the zoo).
 */
public final class ViewGenerator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Two views of one vector. */
    public record Views(float[] first, float[] second) { }

    private final WeightLayout layout;
    private final AugmentationSpec spec;
    private final PermutationAugmentation permutation;
    private final ErasingAugmentation erasing;
    private final NoiseAugmentation noise;

    public ViewGenerator(WeightLayout layout, AugmentationSpec spec) {
        this.layout = layout;
        this.spec = spec;
        this.permutation = spec.permutation()
                ? new PermutationAugmentation(layout, spec.permutationCount(), spec.seed()) : null;
        this.erasing = spec.erasing()
                ? new ErasingAugmentation(spec.erasingProbability(), spec.erasingMinFraction(),
                spec.erasingMaxFraction()) : null;
        this.noise = new NoiseAugmentation(spec.noiseSigma());
    }

    public WeightLayout layout() { return layout; }

    public AugmentationSpec spec() { return spec; }

    /** The permutation sets in use, or null when permutation is off. */
    public PermutationAugmentation permutation() { return permutation; }

    /** One train view: permutation, noise, erasing, as configured. A fresh array. */
    public float[] trainView(float[] vector, Random rng) {
        float[] v = testView(vector, rng);
        v = noise.apply(v, rng);
        return erasing == null ? v : erasing.apply(v, rng);
    }

    /** One test view: permutation only (a copy when permutation is off). A fresh array. */
    public float[] testView(float[] vector, Random rng) {
        if (vector.length != layout.size()) {
            throw new IllegalArgumentException(layout.architecture() + " vectors have " + layout.size()
                    + " values, got " + vector.length);
        }
        return permutation == null ? vector.clone() : permutation.applyRandom(vector, rng);
    }

    /** Two independent train views. */
    public Views trainViews(float[] vector, Random rng) {
        float[] first = trainView(vector, rng);
        return new Views(first, trainView(vector, rng));
    }

    /** Two independent test views. */
    public Views testViews(float[] vector, Random rng) {
        float[] first = testView(vector, rng);
        return new Views(first, testView(vector, rng));
    }

    /** Two train views seeded by (spec seed, epoch, sample). */
    public Views trainViews(float[] vector, int epoch, long sample) {
        return trainViews(vector, random(epoch, sample));
    }

    /** Two test views seeded by (spec seed, epoch, sample). */
    public Views testViews(float[] vector, int epoch, long sample) {
        return testViews(vector, random(epoch, sample));
    }

    /**
     * The generator for one sample in one epoch: {@code new Random(h)} where h mixes the spec's seed, the epoch and
     * the sample id with the SplitMix64 finalizer, so nearby ids give unrelated streams.
     */
    public Random random(int epoch, long sample) {
        long h = mix(spec.seed() ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ epoch);
        h = mix(h ^ sample);
        return new Random(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
