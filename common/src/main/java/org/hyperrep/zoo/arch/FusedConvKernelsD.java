package org.hyperrep.zoo.arch;

/**
 * GENERATED from {@link FusedConvKernelsF} (float → double, for double-precision gradient checks): edit that file
 * and regenerate this one with the sed line in its header.
 *
 * <p>Double kernels of {@link FusedConvLayer}: direct convolution on plain arrays, written so that HotSpot's C2
 * vectorises the hot loops (long unit-stride inner loops, no reductions in them).
 *
 * <p>Per image the convolution output is computed "wide": z[o][p] for p = y·W + x over p ∈ [0, L), L =
 * (OH−1)·W + OW, i.e. with the input's row width W; columns x ≥ OW are junk and never read. For one (o, c, kh, kw)
 * that makes a single loop {@code z[o][p] += w · x[c][p + kh·W + kw]} of length L (668 for cnn-s's first layer)
 * instead of OH short rows. The backward pass writes dLoss/dz in the same wide layout with zeros in the junk
 * columns, so the filter gradient is a sum over the whole range; it is accumulated elementwise over the batch in
 * L-long rows and reduced once per (o, c, kh, kw) and minibatch.
 *
 */
final class FusedConvKernelsD {
    private FusedConvKernelsD() { }

    /*
     * HotSpot 17's SuperWord vectorises a[p] += s * b[p] only when both arrays are indexed by the same p: with two
     * different offsets (z[zo + p] += s * x[xo + p]) it stays scalar (2.9 against 17 GMAC/s measured here). So
     * every hot loop runs over whole rows that start at index 0: z, dz and acc are arrays of rows, and the shifted
     * input x[c][kh·W + kw + p] is first copied into a row (System.arraycopy), once per shift and image, and reused
     * by all O filters.
     */

    /**
     * Forward pass of n images. x [n, C, H, W]; w [O, C, K, K]; b [O]; z O rows of L (scratch); shift a row of L
     * (scratch); a (pre-activation) and y (activation) [n, O, PH, PW] (pooled) or [n, O, OH, OW]; arg (pooled
     * only): the wide position p of each maximum in its image's plane.
     */
    static void forward(FusedConvRuntime.Geometry g, int n, double[] x, double[] w, double[] b, double[][] z,
                        double[] shift, double[] a, int[] arg, double[] y, int act) {
        final int C = g.c, HW = g.h * g.w, W = g.w, K = g.k, O = g.o, L = g.wideLength;
        final int outPlane = g.outH * g.outW;
        for (int img = 0; img < n; img++) {
            final int xb = img * C * HW;
            for (int o = 0; o < O; o++) java.util.Arrays.fill(z[o], 0, L, b[o]);
            for (int c = 0; c < C; c++) {
                for (int kh = 0; kh < K; kh++) {
                    for (int kw = 0; kw < K; kw++) {
                        System.arraycopy(x, xb + c * HW + kh * W + kw, shift, 0, L);
                        for (int o = 0; o < O; o++) {
                            final double wv = w[((o * C + c) * K + kh) * K + kw];
                            final double[] zr = z[o];
                            for (int p = 0; p < L; p++) zr[p] += wv * shift[p];
                        }
                    }
                }
            }
            final int ab = img * O * outPlane;
            for (int o = 0; o < O; o++) {
                final double[] zr = z[o];
                if (g.pool) {
                    for (int py = 0; py < g.outH; py++) {
                        for (int px = 0; px < g.outW; px++) {
                            int p = 2 * py * W + 2 * px;
                            int best = p;
                            double m = zr[p];
                            if (zr[p + 1] > m) { m = zr[p + 1]; best = p + 1; }
                            if (zr[p + W] > m) { m = zr[p + W]; best = p + W; }
                            if (zr[p + W + 1] > m) { m = zr[p + W + 1]; best = p + W + 1; }
                            int i = ab + (o * g.outH + py) * g.outW + px;
                            a[i] = m;
                            arg[i] = best;
                        }
                    }
                } else {
                    for (int oy = 0; oy < g.outH; oy++) {
                        System.arraycopy(zr, oy * W, a, ab + (o * g.outH + oy) * g.outW, g.outW);
                    }
                }
            }
        }
        activate(a, y, n * O * outPlane, act);
    }

    /**
     * Backward pass for the most recent forward pass. dy [n, O, PH, PW] is overwritten with dLoss/da. dz n·O rows
     * of L, acc O rows of L, shift and tmp rows of L (all scratch); dw [O, C, K, K] and db [O] are overwritten;
     * dx [n, C, H, W] is overwritten when not null.
     */
    static void backward(FusedConvRuntime.Geometry g, int n, double[] x, double[] w, double[] a, int[] arg, double[] y,
                         int act, double[] dy, double[][] dz, double[][] acc, double[] shift, double[] tmp,
                         double[] dw, double[] db, double[] dx) {
        final int C = g.c, HW = g.h * g.w, W = g.w, K = g.k, O = g.o, L = g.wideLength;
        final int outPlane = g.outH * g.outW;
        activationBackward(a, y, dy, n * O * outPlane, act);
        java.util.Arrays.fill(db, 0.0);
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < O; o++) {
                final double[] dzr = dz[img * O + o];
                java.util.Arrays.fill(dzr, 0, L, 0.0);
                final int ao = (img * O + o) * outPlane;
                double s = 0.0;
                if (g.pool) {
                    for (int q = 0; q < outPlane; q++) {
                        dzr[arg[ao + q]] = dy[ao + q];
                        s += dy[ao + q];
                    }
                } else {
                    for (int oy = 0; oy < g.outH; oy++) {
                        for (int ox = 0; ox < g.outW; ox++) {
                            double d = dy[ao + oy * g.outW + ox];
                            dzr[oy * W + ox] = d;
                            s += d;
                        }
                    }
                }
                db[o] += s;
            }
        }
        if (dx != null) java.util.Arrays.fill(dx, 0, n * C * HW, 0.0);
        // Per shift: the filter gradient accumulates elementwise over the batch in O rows (one reduction per
        // filter entry and minibatch); the input gradient is summed over filters in tmp, then added at the shift.
        for (int c = 0; c < C; c++) {
            for (int kh = 0; kh < K; kh++) {
                for (int kw = 0; kw < K; kw++) {
                    for (int o = 0; o < O; o++) java.util.Arrays.fill(acc[o], 0, L, 0.0);
                    for (int img = 0; img < n; img++) {
                        final int xo = img * C * HW + c * HW + kh * W + kw;
                        System.arraycopy(x, xo, shift, 0, L);
                        for (int o = 0; o < O; o++) {
                            final double[] ar = acc[o], dzr = dz[img * O + o];
                            for (int p = 0; p < L; p++) ar[p] += dzr[p] * shift[p];
                        }
                        if (dx != null) {
                            java.util.Arrays.fill(tmp, 0, L, 0.0);
                            for (int o = 0; o < O; o++) {
                                final double wv = w[((o * C + c) * K + kh) * K + kw];
                                final double[] dzr = dz[img * O + o];
                                for (int p = 0; p < L; p++) tmp[p] += wv * dzr[p];
                            }
                            for (int p = 0; p < L; p++) dx[xo + p] += tmp[p];
                        }
                    }
                    for (int o = 0; o < O; o++) dw[((o * C + c) * K + kh) * K + kw] = sum(acc[o], L);
                }
            }
        }
    }

    private static double sum(double[] v, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
        }
        for (; i < len; i++) s0 += v[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** y = act(a) over the first len entries. Codes: see {@link FusedConvRuntime#activationCode}. */
    static void activate(double[] a, double[] y, int len, int act) {
        switch (act) {
            case FusedConvRuntime.IDENTITY -> System.arraycopy(a, 0, y, 0, len);
            case FusedConvRuntime.TANH -> {
                for (int i = 0; i < len; i++) y[i] = tanh(a[i]);
            }
            case FusedConvRuntime.RELU -> {
                for (int i = 0; i < len; i++) y[i] = a[i] > 0 ? a[i] : 0.0;
            }
            case FusedConvRuntime.SIGMOID -> {
                for (int i = 0; i < len; i++) y[i] = sigmoid(a[i]);
            }
            case FusedConvRuntime.GELU -> {
                for (int i = 0; i < len; i++) y[i] = (a[i] * sigmoid(1.702 * a[i]));
            }
            default -> throw new IllegalArgumentException("activation code " + act);
        }
    }

    /** d ← d · act'(a), with y = act(a). */
    static void activationBackward(double[] a, double[] y, double[] d, int len, int act) {
        switch (act) {
            case FusedConvRuntime.IDENTITY -> { }
            case FusedConvRuntime.TANH -> {
                for (int i = 0; i < len; i++) d[i] *= 1.0 - y[i] * y[i];
            }
            case FusedConvRuntime.RELU -> {
                for (int i = 0; i < len; i++) if (!(a[i] > 0)) d[i] = 0.0;
            }
            case FusedConvRuntime.SIGMOID -> {
                for (int i = 0; i < len; i++) d[i] *= y[i] * (1.0 - y[i]);
            }
            case FusedConvRuntime.GELU -> {
                for (int i = 0; i < len; i++) {
                    double u = 1.702 * a[i];
                    double s = sigmoid(u);
                    d[i] *= (s + u * s * (1 - s));
                }
            }
            default -> throw new IllegalArgumentException("activation code " + act);
        }
    }

    static double tanh(double v) {
        double e = Math.exp(-2 * Math.abs(v));
        double t = (1 - e) / (1 + e);
        return v < 0 ? -t : t;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
