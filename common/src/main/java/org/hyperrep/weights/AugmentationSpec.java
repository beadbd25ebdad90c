package org.hyperrep.weights;

/**
 * Settings of the weight augmentations (docs/method.md), as read from a config. A value object: the algorithms are
 * {@link PermutationAugmentation}, {@link ErasingAugmentation}, {@link NoiseAugmentation}, combined by
 * {@link ViewGenerator}.
 *
 * @param permutation        permute hidden units (train and test views)
 * @param permutationCount   permutation sets to precompute (all of them when the architecture has fewer)
 * @param erasing            erase a block (train views only)
 * @param erasingProbability probability that a train view gets a block erased
 * @param erasingMinFraction shortest block as a fraction of the vector
 * @param erasingMaxFraction longest block as a fraction of the vector
 * @param noiseSigma         σ of the additive Gaussian noise on train views; 0 = off
 * @param seed               seed of the permutation sets and of every view ({@link ViewGenerator#random})
 */
public record AugmentationSpec(boolean permutation, int permutationCount, boolean erasing,
                               double erasingProbability, double erasingMinFraction, double erasingMaxFraction,
                               double noiseSigma, long seed) implements java.io.Serializable {

    public AugmentationSpec {
        if (permutationCount < 1) {
            throw new IllegalArgumentException("permutation count must be >= 1, got " + permutationCount);
        }
        // The augmentations validate their own settings; fail here, where the config is read.
        new ErasingAugmentation(erasingProbability, erasingMinFraction, erasingMaxFraction);
        new NoiseAugmentation(noiseSigma);
    }

    /** The paper's main runs: permutation (25,000 sets), erasing with p = 0.5 of 2–33%, no noise. */
    public static AugmentationSpec paper(long seed) {
        return new AugmentationSpec(true, PermutationAugmentation.DEFAULT_COUNT, true,
                ErasingAugmentation.DEFAULT_PROBABILITY, ErasingAugmentation.DEFAULT_MIN_FRACTION,
                ErasingAugmentation.DEFAULT_MAX_FRACTION, 0.0, seed);
    }

    /** No augmentation at all: every view is a copy of the vector. */
    public static AugmentationSpec none(long seed) {
        return new AugmentationSpec(false, 1, false, ErasingAugmentation.DEFAULT_PROBABILITY,
                ErasingAugmentation.DEFAULT_MIN_FRACTION, ErasingAugmentation.DEFAULT_MAX_FRACTION, 0.0, seed);
    }

    public AugmentationSpec withNoise(double sigma) {
        return new AugmentationSpec(permutation, permutationCount, erasing, erasingProbability, erasingMinFraction,
                erasingMaxFraction, sigma, seed);
    }

    public AugmentationSpec withPermutationCount(int count) {
        return new AugmentationSpec(permutation, count, erasing, erasingProbability, erasingMinFraction,
                erasingMaxFraction, noiseSigma, seed);
    }
}
