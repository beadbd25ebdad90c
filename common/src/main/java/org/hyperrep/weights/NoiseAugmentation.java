package org.hyperrep.weights;

import java.io.Serializable;
import java.util.Random;

/**
 * Additive Gaussian noise on every weight, x + σ·N(0, 1) (docs/method.md; off in the paper's main runs, 0.05 in
 * ablations). One {@code nextGaussian()} per value; σ = 0 draws nothing and returns an unchanged copy. The input is
 * never modified.
 */
public final class NoiseAugmentation implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double sigma;

    public NoiseAugmentation(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise σ must be finite and >= 0, got " + sigma);
        }
        this.sigma = sigma;
    }

    public double sigma() { return sigma; }

    /** A noisy copy of the vector. */
    public float[] apply(float[] vector, Random rng) {
        float[] out = vector.clone();
        if (sigma == 0) {
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (out[i] + sigma * rng.nextGaussian());
        }
        return out;
    }

    @Override
    public String toString() { return "NoiseAugmentation[σ=" + sigma + "]"; }
}
