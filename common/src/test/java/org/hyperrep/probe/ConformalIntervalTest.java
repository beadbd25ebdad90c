package org.hyperrep.probe;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConformalIntervalTest {
    @Test
    void theHalfWidthIsTheRankedValidationResidual() {
        // residuals 1..9: n = 9, level 0.8 -> rank ceil(10 * 0.8) = 8 -> q = 8
        double[] truth = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] predicted = new double[9];
        ConformalInterval c = ConformalInterval.calibrate(truth, predicted, 0.8);
        assertEquals(8, c.halfWidth(), 0);
        assertEquals(9, c.calibrationRows());
        assertEquals(2.0, c.lower(10), 0);
        assertEquals(18.0, c.upper(10), 0);
        // too few rows for the level: rank ceil(10 * 0.95) = 10 > 9 -> unbounded
        assertEquals(Double.POSITIVE_INFINITY, ConformalInterval.calibrate(truth, predicted, 0.95).halfWidth());
    }

    @Test
    void coverageOnNewDataIsNearTheNominalLevel() {
        // a fixed, imperfect predictor y_hat = x on y = x + heavy-tailed noise: exchangeable calibration and test
        Random r = new Random(3);
        int trials = 200, n = 200, m = 500;
        double sum = 0;
        for (int t = 0; t < trials; t++) {
            double[][] cal = sample(r, n), test = sample(r, m);
            ConformalInterval c = ConformalInterval.calibrate(cal[0], cal[1], 0.9);
            sum += c.coverage(test[0], test[1]);
        }
        double mean = sum / trials;
        // guaranteed >= 0.9 in expectation, and at most 0.9 + 1/(n+1)
        assertTrue(mean >= 0.895 && mean <= 0.9 + 1.0 / (n + 1) + 0.005, "mean coverage " + mean);
    }

    private static double[][] sample(Random r, int n) {
        double[] y = new double[n], yHat = new double[n];
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            yHat[i] = x;
            y[i] = x + r.nextGaussian() / Math.sqrt(Math.max(0.05, r.nextDouble()));
        }
        return new double[][] {y, yHat};
    }
}
