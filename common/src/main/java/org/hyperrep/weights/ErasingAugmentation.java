package org.hyperrep.weights;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Random;

/**
 * Random erasing of the flat weight vector (docs/method.md, train views only): with probability {@code probability}
 * one contiguous block is set to zero. Its length is drawn uniformly from the integers in
 * [⌈minFraction·n⌉, ⌊maxFraction·n⌋] (at least 1) and its start uniformly from the positions where it fits.
 * The block may span layer boundaries: erasing works on the vector, not on tokens.
 *
 * <p>Random draws: one {@code nextDouble()} decides; when it fires, one {@code nextInt} for the length and one for
 * the start. The input is never modified: the result is always a fresh array.
 */
public final class ErasingAugmentation implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_PROBABILITY = 0.5;
    public static final double DEFAULT_MIN_FRACTION = 0.02;
    public static final double DEFAULT_MAX_FRACTION = 0.33;

    private final double probability;
    private final double minFraction;
    private final double maxFraction;

    public ErasingAugmentation(double probability, double minFraction, double maxFraction) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("erasing probability must be in [0, 1], got " + probability);
        }
        if (!(minFraction > 0 && minFraction <= maxFraction && maxFraction <= 1)) {
            throw new IllegalArgumentException("erased fraction range must satisfy 0 < min <= max <= 1, got ["
                    + minFraction + ", " + maxFraction + "]");
        }
        this.probability = probability;
        this.minFraction = minFraction;
        this.maxFraction = maxFraction;
    }

    /** The paper's setting: probability 0.5, 2–33% of the vector. */
    public ErasingAugmentation() {
        this(DEFAULT_PROBABILITY, DEFAULT_MIN_FRACTION, DEFAULT_MAX_FRACTION);
    }

    public double probability() { return probability; }
    public double minFraction() { return minFraction; }
    public double maxFraction() { return maxFraction; }

    /** Shortest block erased in a vector of n values. */
    public int minLength(int n) { return Math.max(1, (int) Math.ceil(minFraction * n - 1e-9)); }

    /** Longest block erased in a vector of n values. */
    public int maxLength(int n) { return Math.min(n, Math.max(minLength(n), (int) Math.floor(maxFraction * n + 1e-9))); }

    /** A copy of the vector, with one block zeroed when the draw fires. */
    public float[] apply(float[] vector, Random rng) {
        float[] out = vector.clone();
        if (vector.length == 0 || rng.nextDouble() >= probability) {
            return out;
        }
        int n = vector.length;
        int lo = minLength(n);
        int length = lo + rng.nextInt(maxLength(n) - lo + 1);
        int start = rng.nextInt(n - length + 1);
        Arrays.fill(out, start, start + length, 0f);
        return out;
    }

    @Override
    public String toString() {
        return "ErasingAugmentation[p=" + probability + ", " + minFraction + ".." + maxFraction + "]";
    }
}
