package org.hyperrep.encoder;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NtXentLossTest {
    private static final double TAU = 0.5;

    /** Two models × two views, 3-dim z: rows 0, 1 are view 1 of models A, B; rows 2, 3 view 2 of A, B. */
    private static final double[][] Z = {
            {1.0, 0.5, -0.2},
            {-0.3, 0.8, 0.4},
            {0.9, 0.2, 0.1},
            {0.1, 1.1, 0.6}};

    private static INDArray z() { return Nd4j.createFromArray(Z); }

    private static INDArray keys(double... k) { return Nd4j.createFromArray(k).reshape(k.length, 1); }

    /** The loss of row i written out with plain loops: log Σ_{j≠i} exp(cos(z_i, z_j)/τ) − cos(z_i, z_p(i))/τ. */
    private static double rowLossByHand(double[][] z, int i, double tau) {
        int m = z.length;
        int partner = (i + m / 2) % m;
        double sum = 0;
        for (int j = 0; j < m; j++) {
            if (j != i) sum += Math.exp(cosine(z[i], z[j]) / tau);
        }
        return Math.log(sum) - cosine(z[i], z[partner]) / tau;
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void valueEqualsHandComputation() {
        double weight = 0.7;
        NtXentLoss loss = new NtXentLoss(TAU, weight);
        double expectedSum = 0;
        INDArray rows = loss.computeScoreArray(keys(1, 2, 1, 2), z(), new ActivationIdentity(), null);
        for (int i = 0; i < 4; i++) {
            double byHand = rowLossByHand(Z, i, TAU);
            assertEquals(weight * byHand, rows.getDouble(i, 0), 1e-12, "row " + i);
            expectedSum += byHand;
        }
        assertEquals(weight * expectedSum / 4, loss.computeScore(keys(1, 2, 1, 2), z(), new ActivationIdentity(), null, true), 1e-12);
        assertEquals(weight * expectedSum, loss.computeScore(keys(1, 2, 1, 2), z(), new ActivationIdentity(), null, false), 1e-12);
        assertEquals(weight * expectedSum / 4,
                loss.computeGradientAndScore(keys(1, 2, 1, 2), z(), new ActivationIdentity(), null, true).getFirst(), 1e-12);
    }

    @Test
    void closedFormForPerfectPairs() {
        // views identical, models orthogonal: every row's loss is log(2 + e^{1/τ}) − 1/τ
        INDArray z = Nd4j.createFromArray(new double[][]{{2, 0}, {0, 3}, {1, 0}, {0, 0.5}});
        double tau = 0.1;
        double expected = Math.log(2 + Math.exp(1 / tau)) - 1 / tau;
        double score = new NtXentLoss(tau, 1).computeScore(keys(7, 8, 7, 8), z, new ActivationIdentity(), null, true);
        assertEquals(expected, score, 1e-12);
        assertEquals(9.0796e-5, score, 1e-8);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        for (var activation : new org.nd4j.linalg.activations.IActivation[]{new ActivationIdentity(), new ActivationTanH()}) {
            NtXentLoss loss = new NtXentLoss(TAU, 0.7);
            INDArray labels = keys(1, 2, 1, 2);
            INDArray pre = z();
            INDArray analytic = loss.computeGradient(labels, pre, activation, null);
            assertEquals(analytic, loss.computeGradientAndScore(labels, pre, activation, null, false).getSecond());
            double eps = 1e-6;
            double maxRel = 0;
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < 3; k++) {
                    INDArray plus = pre.dup();
                    plus.putScalar(i, k, pre.getDouble(i, k) + eps);
                    INDArray minus = pre.dup();
                    minus.putScalar(i, k, pre.getDouble(i, k) - eps);
                    double numeric = (loss.computeScore(labels, plus, activation, null, false)
                            - loss.computeScore(labels, minus, activation, null, false)) / (2 * eps);
                    double a = analytic.getDouble(i, k);
                    assertEquals(numeric, a, 1e-7, activation + " z[" + i + "," + k + "]");
                    if (Math.abs(a) + Math.abs(numeric) > 1e-6) {
                        maxRel = Math.max(maxRel, Math.abs(a - numeric) / (Math.abs(a) + Math.abs(numeric)));
                    }
                }
            }
            System.out.printf("NT-Xent gradient vs finite differences (%s): max relative error %.3e%n", activation, maxRel);
            assertTrue(maxRel < 1e-6, "max relative error " + maxRel);
        }
    }

    @Test
    void gradientIsZeroAlongEachRowsLength() {
        // the loss depends on directions only: dL/dz_i is orthogonal to z_i
        INDArray g = new NtXentLoss(TAU, 1).computeGradient(keys(1, 2, 1, 2), z(), new ActivationIdentity(), null);
        for (int i = 0; i < 4; i++) {
            assertEquals(0, g.getRow(i).mul(z().getRow(i)).sumNumber().doubleValue(), 1e-12);
        }
    }

    @Test
    void throwsWhenRowsIAndIPlusNAreDifferentModels() {
        NtXentLoss loss = new NtXentLoss(TAU, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loss.computeScore(keys(1, 2, 1, 3), z(), new ActivationIdentity(), null, true));
        assertTrue(e.getMessage().contains("rows 1 and 3"), e.getMessage());
        assertTrue(e.getMessage().contains("models 2 and 3"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> loss.computeGradient(keys(2, 1, 1, 2), z(), new ActivationIdentity(), null));
    }

    @Test
    void throwsOnOddBatchesAndBadLabels() {
        NtXentLoss loss = new NtXentLoss(TAU, 1);
        INDArray three = z().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3), org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertThrows(IllegalArgumentException.class,
                () -> loss.computeScore(keys(1, 2, 1), three, new ActivationIdentity(), null, true));
        assertThrows(IllegalArgumentException.class,
                () -> loss.computeScore(keys(1, 2), z(), new ActivationIdentity(), null, true));
    }

    @Test
    void floatLabelsWork() {
        NtXentLoss loss = new NtXentLoss(TAU, 1);
        double d = loss.computeScore(keys(1, 2, 1, 2), z(), new ActivationIdentity(), null, true);
        double f = loss.computeScore(keys(1, 2, 1, 2).castTo(DataType.FLOAT), z().castTo(DataType.FLOAT),
                new ActivationIdentity(), null, true);
        assertEquals(d, f, 1e-5);
    }
}
