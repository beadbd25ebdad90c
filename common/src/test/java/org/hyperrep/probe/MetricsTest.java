package org.hyperrep.probe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void r2ByHand() {
        // mean 2.5; SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5; SS_res = 0 + 0 + 0 + 1 = 1; R² = 1 - 1/5
        assertEquals(0.8, Metrics.r2(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 5}), EPS);
        // predicting the mean everywhere: SS_res = SS_tot
        assertEquals(0.0, Metrics.r2(new double[] {1, 2, 3, 4}, new double[] {2.5, 2.5, 2.5, 2.5}), EPS);
        // reversed: SS_res = 9 + 1 + 1 + 9 = 20; R² = 1 - 20/5
        assertEquals(-3.0, Metrics.r2(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), EPS);
        assertTrue(Double.isNaN(Metrics.r2(new double[] {7, 7}, new double[] {7, 7})), "constant truth: undefined");
    }

    @Test
    void accuracyByHand() {
        // matches at positions 0, 1, 3: 3 of 5
        assertEquals(0.6, Metrics.accuracy(new double[] {0, 1, 2, 1, 0}, new double[] {0, 1, 1, 1, 2}), EPS);
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new double[] {1}, new double[] {1, 2}));
    }

    @Test
    void kendallTauWithoutTies() {
        // pairs of x = 1,2,3,4 / y = 1,3,2,4: only (2,3) is discordant (x rises, y falls): C = 5, D = 1, n0 = 6
        assertEquals(4.0 / 6.0, Metrics.kendallTauB(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), EPS);
        assertEquals(-1.0, Metrics.kendallTauB(new double[] {1, 2, 3}, new double[] {3, 2, 1}), EPS);
    }

    @Test
    void kendallTauBWithTies() {
        // x = 1,2,2,3 / y = 1,3,2,2:
        // (0,1) C, (0,2) C, (0,3) C, (1,2) tied in x, (1,3) D, (2,3) tied in y
        // C = 3, D = 1, n0 = 6, n1 = 1, n2 = 1: τ-b = (3 - 1) / sqrt((6 - 1)(6 - 1)) = 0.4 (scipy.stats.kendalltau agrees)
        assertEquals(0.4, Metrics.kendallTauB(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 2}), EPS);
        // a pair tied in both x and y counts in n1 and n2: C = 2, D = 0, n0 = 3: 2 / sqrt(2 * 2) = 1
        assertEquals(1.0, Metrics.kendallTauB(new double[] {1, 1, 2}, new double[] {5, 5, 6}), EPS);
        // τ-a would give (C - D) / n0 = 2/3 here: the tie correction is what makes it 1
        assertTrue(Double.isNaN(Metrics.kendallTauB(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
    }

    @Test
    void kendallTauBMatchesAPairCountOnTiedRandomData() {
        java.util.Random r = new java.util.Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(300);
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(1 + trial);         // many ties at small trial numbers
                y[i] = x[i] + r.nextInt(5) - 2;
            }
            assertEquals(pairCountTauB(x, y), Metrics.kendallTauB(x, y), 1e-12, "trial " + trial);
        }
    }

    @Test
    void r2OfAConstantTargetIsUndefined() {
        assertTrue(Double.isNaN(Metrics.r2(new double[] {2, 2, 2}, new double[] {2, 2, 2})));
        assertEquals(0.0, Metrics.r2(new double[] {1, 2, 3}, new double[] {2, 2, 2}), EPS);
    }

    /** τ-b by counting every pair, the definition written out (NaN when a side is constant). */
    private static double pairCountTauB(double[] x, double[] y) {
        long c = 0, d = 0, tx = 0, ty = 0, n0 = (long) x.length * (x.length - 1) / 2;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                double dx = x[j] - x[i], dy = y[j] - y[i];
                if (dx == 0) tx++;
                if (dy == 0) ty++;
                if (dx != 0 && dy != 0) {
                    if ((dx > 0) == (dy > 0)) c++; else d++;
                }
            }
        }
        double den = Math.sqrt((double) (n0 - tx) * (n0 - ty));
        return den == 0 ? Double.NaN : (c - d) / den;
    }
}
