package org.hyperrep.weights;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Gaussian weight noise (docs/method.md): x + σ·N(0, 1). */
class NoiseAugmentationTest {

    @Test
    void addedNoiseHasTheConfiguredSigma() {
        for (double sigma : new double[]{0.05, 1.0}) {
            NoiseAugmentation noise = new NoiseAugmentation(sigma);
            float[] v = NeuronTokenizerTest.awkwardVector(100_000, 4);
            v[0] = v[v.length / 2] = v[v.length / 3] = 0.5f;   // no NaNs here
            float[] copy = v.clone();
            float[] out = noise.apply(v, new Random(5));
            assertArrayEquals(copy, v, "the input is never modified");
            double sum = 0, sq = 0;
            for (int i = 0; i < v.length; i++) {
                double d = out[i] - v[i];
                sum += d;
                sq += d * d;
            }
            double mean = sum / v.length;
            double std = Math.sqrt(sq / v.length - mean * mean);
            // 100,000 draws: the empirical std is within 1% of σ with overwhelming probability.
            assertEquals(sigma, std, 0.01 * sigma, "σ " + sigma);
            assertEquals(0.0, mean, 5 * sigma / Math.sqrt(v.length), "σ " + sigma);
        }
    }

    @Test
    void sigmaZeroIsTheIdentity() {
        float[] v = NeuronTokenizerTest.awkwardVector(1000, 6);
        float[] out = new NoiseAugmentation(0.0).apply(v, new Random(7));
        assertNotSame(v, out);
        NeuronTokenizerTest.assertBitwiseEqual(v, out);
    }

    @Test
    void sameGeneratorSameNoise() {
        NoiseAugmentation noise = new NoiseAugmentation(0.1);
        float[] v = new float[50];
        assertArrayEquals(noise.apply(v, new Random(8)), noise.apply(v, new Random(8)));
    }

    @Test
    void negativeOrInfiniteSigmaIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NoiseAugmentation(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new NoiseAugmentation(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new NoiseAugmentation(Double.NaN));
    }
}
