package org.hyperrep.features;

import org.hyperrep.weights.WeightLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics by hand, without Spark. */
class OrderStatisticsTest {
    static final double EPS = 1e-12;

    /** dense1: 2 → 2 with bias, dense2: 2 → 1 without: 4 + 2 + 2 = 8 parameters. */
    static WeightLayout tinyLayout() {
        return WeightLayout.builder("tiny").dense("dense1", 2, 2, true).dense("dense2", 2, 1, false).build();
    }

    /** Kernel 4, 1, 3, 2 (unsorted on purpose), biases ±100 (they would swamp s(W) if counted), kernel ±0.5. */
    static final float[] TINY = {4, 1, 3, 2, 100, -100, 0.5f, -0.5f};

    @Test
    void quantilesInterpolateLinearlyAndVarianceIsThePopulationOne() {
        // sorted 1 2 3 4 10: mean 4; var = (9 + 4 + 1 + 0 + 36) / 5 = 10 (ddof 0; ddof 1 would give 12.5)
        OrderStatistics s = OrderStatistics.of(new double[] {99, 10, 3, 1, 4, 2, 99}, 1, 5);
        assertEquals(4, s.mean(), EPS);
        assertEquals(10, s.variance(), EPS);
        assertEquals(Math.sqrt(10), s.std(), EPS);
        assertEquals(1, s.min());
        assertEquals(10, s.max());
        assertEquals(3, s.quantile(0.5), EPS);
        // h = (5 - 1) q: q = 0.1 → h = 0.4 → 1 + 0.4·(2 − 1); q = 0.99 → h = 3.96 → 4 + 0.96·(10 − 4)
        assertEquals(1.4, s.quantile(0.1), EPS);
        assertEquals(9.76, s.quantile(0.99), EPS);
        assertEquals(2, s.quantile(0.25), EPS);
        assertThrows(IllegalArgumentException.class, () -> s.quantile(1.5));
    }

    @Test
    void weightStatisticsByHandIgnoreBiases() {
        double[] w = new double[TINY.length];
        for (int i = 0; i < w.length; i++) w[i] = TINY[i];
        double[] got = new WeightStatistics().setLayout(tinyLayout()).compute(w);
        // dense1 kernel sorted 1 2 3 4: mean 2.5; var = (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25; h = 3q:
        // p1 h 0.03 → 1.03, p25 h 0.75 → 1.75, p50 h 1.5 → 2.5, p75 h 2.25 → 3.25, p99 h 2.97 → 3.97
        // dense2 kernel −0.5 0.5: mean 0; var 0.25; h = q: p1 → −0.49, p25 → −0.25, p50 0, p75 0.25, p99 0.49
        assertArrayEquals(new double[] {2.5, 1.25, 1.03, 1.75, 2.5, 3.25, 3.97, 0, 0.25, -0.49, -0.25, 0, 0.25, 0.49},
                got, EPS);
        assertEquals(14, WeightStatistics.size(tinyLayout()));
    }

    @Test
    void tensorStatisticsByHandKeepKernelAndBiasApart() {
        double[] w = new double[TINY.length];
        for (int i = 0; i < w.length; i++) w[i] = TINY[i];
        double[] got = new TensorStatistics().setLayout(tinyLayout()).compute(w);
        // [min, q25, median, q75, max, std, mean] for dense1.kernel, dense1.bias, dense2.kernel (no bias)
        // bias −100 100: q25 h 0.25 → −100 + 0.25·200 = −50; std = 100
        assertArrayEquals(new double[] {
                1, 1.75, 2.5, 3.25, 4, Math.sqrt(1.25), 2.5,
                -100, -50, 0, 50, 100, 100, 0,
                -0.5, -0.25, 0, 0.25, 0.5, 0.5, 0}, got, EPS);
        assertEquals(21, TensorStatistics.size(tinyLayout()));
    }

    @Test
    void aVectorOfTheWrongLengthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightStatistics().setLayout(tinyLayout()).compute(new double[7]));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("8"), e.getMessage());
    }
}
