package org.hyperrep.zoo.arch;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float kernels of {@link FusedConvLayer} written with the JDK's Vector API (incubator module
 * {@code jdk.incubator.vector}, Java 17): register-blocked direct convolution. {@link FusedConvKernelsF} (plain loops
 * that HotSpot auto-vectorises) is the fallback when the module is not loaded; both compute the same function.
 *
 * <p>Why: auto-vectorised loops must index every array with the same offset, so FusedConvKernelsF adds one
 * filter tap at a time into output rows held in memory (a load and a store per multiply-add). Here an output chunk
 * of V columns (V = the vector length, 8 floats with AVX2) of four filters stays in four registers while all
 * C·K·K taps are added, each tap one unaligned load of the input shared by the four filters.
 *
 * <p>Layouts. The convolution output of one filter is a plane of OH rows of {@code Wp} = OW rounded up to a multiple
 * of V (columns ≥ OW are junk in the forward pass and zero in the backward pass). Loads of a chunk may read up to
 * V − 1 values past a row's end, so the input array needs V floats of slack after its last image ({@link #SLACK}).
 * Filters are processed in groups of four; in the last group of a layer whose filter count is not a multiple of
 * four the missing filters repeat the last one and their results are dropped.
 *
 * <p>An instance keeps the scratch arrays of one layer between iterations (not thread-safe, as DL4J layers).
 */
final class FusedConvKernelsV {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    /** Floats of slack needed after the input (and other vector-read arrays) for chunk loads past a row's end. */
    static final int SLACK = V;

    private float[] z = new float[0];       // forward: one image's conv planes [O][OH][Wp]
    private float[] dz = new float[0];      // backward: [n][O][OH][Wp], zero outside the valid columns
    private float[] dzp = new float[0];     // backward: one image's dz with K−1 zeros around: [O][OH+2(K−1)][Wq]
    private float[] dxRow = new float[0];   // backward: four rows of the input gradient [4][Wx]
    private int[] tapOffset = new int[0];   // per filter tap: offset of its input (forward) or dz (input gradient)
    private float[] tapWeights = new float[0];  // per group of four filters (or channels) and tap: 4 weights
    private int[] chunkX = new int[0], chunkZ = new int[0];   // weight gradient: offsets of every output chunk

    static int paddedWidth(int width) { return (width + V - 1) / V * V; }

    /**
     * Forward pass of n images, as {@link FusedConvKernelsF#forward} but with arg holding, for each pooled output,
     * the position oy·Wp + ox of its maximum in the filter's conv plane. x needs {@link #SLACK} floats after its
     * n·C·H·W values.
     */
    void forward(FusedConvRuntime.Geometry g, int n, float[] x, float[] w, float[] b, float[] a, int[] arg,
                 float[] y, int act) {
        final int C = g.c, HW = g.h * g.w, W = g.w, K = g.k, O = g.o, OH = g.convH, OW = g.convW;
        final int Wp = paddedWidth(OW), plane = OH * Wp, CKK = C * K * K;
        final int outPlane = g.outH * g.outW;
        if (z.length < O * plane) z = new float[O * plane];
        final float[] z = this.z;
        // Taps t = (c, kh, kw): input offset and, per group of four filters, the four weights side by side.
        final int groups = (O + 3) / 4;
        if (tapOffset.length < CKK) tapOffset = new int[CKK];
        if (tapWeights.length < groups * CKK * 4) tapWeights = new float[groups * CKK * 4];
        final int[] xoff = tapOffset;
        final float[] wt = tapWeights;
        for (int c = 0; c < C; c++) {
            for (int kh = 0; kh < K; kh++) {
                for (int kw = 0; kw < K; kw++) xoff[(c * K + kh) * K + kw] = c * HW + kh * W + kw;
            }
        }
        for (int og = 0; og < O; og += 4) {
            for (int j = 0; j < 4; j++) {
                final int o = Math.min(og + j, O - 1);
                for (int t = 0; t < CKK; t++) wt[(og / 4 * CKK + t) * 4 + j] = w[o * CKK + t];
            }
        }
        for (int img = 0; img < n; img++) {
            final int xb = img * C * HW;
            for (int og = 0; og < O; og += 4) {
                final int o1 = Math.min(og + 1, O - 1), o2 = Math.min(og + 2, O - 1), o3 = Math.min(og + 3, O - 1);
                final int wb = og / 4 * CKK * 4;
                for (int oy = 0; oy < OH; oy++) {
                    for (int cx = 0; cx < Wp; cx += V) {
                        final int xr = xb + oy * W + cx;
                        FloatVector a0 = FloatVector.broadcast(S, b[og]), a1 = FloatVector.broadcast(S, b[o1]);
                        FloatVector a2 = FloatVector.broadcast(S, b[o2]), a3 = FloatVector.broadcast(S, b[o3]);
                        // one loop level carries the accumulators: C2 (Java 17) keeps them in registers only then
                        for (int t = 0; t < CKK; t++) {
                            FloatVector xv = FloatVector.fromArray(S, x, xr + xoff[t]);
                            final int wi = wb + 4 * t;
                            a0 = xv.fma(FloatVector.broadcast(S, wt[wi]), a0);
                            a1 = xv.fma(FloatVector.broadcast(S, wt[wi + 1]), a1);
                            a2 = xv.fma(FloatVector.broadcast(S, wt[wi + 2]), a2);
                            a3 = xv.fma(FloatVector.broadcast(S, wt[wi + 3]), a3);
                        }
                        final int zo = oy * Wp + cx;
                        a0.intoArray(z, og * plane + zo);
                        if (og + 1 < O) a1.intoArray(z, (og + 1) * plane + zo);
                        if (og + 2 < O) a2.intoArray(z, (og + 2) * plane + zo);
                        if (og + 3 < O) a3.intoArray(z, (og + 3) * plane + zo);
                    }
                }
            }
            final int ab = img * O * outPlane;
            for (int o = 0; o < O; o++) {
                final int zb = o * plane;
                if (g.pool) {
                    for (int py = 0; py < g.outH; py++) {
                        for (int px = 0; px < g.outW; px++) {
                            // selects instead of branches (the maximum's position is random: branches mispredict)
                            final int p = 2 * py * Wp + 2 * px;
                            final float v1 = z[zb + p + 1], v2 = z[zb + p + Wp], v3 = z[zb + p + Wp + 1];
                            float m = z[zb + p];
                            int best = p;
                            best = v1 > m ? p + 1 : best;
                            m = Math.max(m, v1);
                            best = v2 > m ? p + Wp : best;
                            m = Math.max(m, v2);
                            best = v3 > m ? p + Wp + 1 : best;
                            m = Math.max(m, v3);
                            int i = ab + (o * g.outH + py) * g.outW + px;
                            a[i] = m;
                            arg[i] = best;
                        }
                    }
                } else {
                    for (int oy = 0; oy < OH; oy++) System.arraycopy(z, zb + oy * Wp, a, ab + (o * OH + oy) * OW, OW);
                }
            }
        }
        activate(a, y, n * O * outPlane, act);
    }

    /**
     * Backward pass for the most recent forward pass, as {@link FusedConvKernelsF#backward}: dy [n, O, PH, PW] is
     * overwritten with dLoss/da; dw [O, C, K, K] and db [O] are overwritten; dx [n, C, H, W] is overwritten when
     * not null. x, w, a, arg and y are the forward pass's.
     */
    void backward(FusedConvRuntime.Geometry g, int n, float[] x, float[] w, float[] a, int[] arg, float[] y, int act,
                  float[] dy, float[] dw, float[] db, float[] dx) {
        final int C = g.c, HW = g.h * g.w, W = g.w, K = g.k, O = g.o, OH = g.convH, OW = g.convW;
        final int Wp = paddedWidth(OW), plane = OH * Wp, CKK = C * K * K;
        final int outPlane = g.outH * g.outW;
        FusedConvKernelsF.activationBackward(a, y, dy, n * O * outPlane, act);

        // dLoss/dz in conv-plane layout, zero in pooled-away positions and junk columns; db.
        if (dz.length < n * O * plane) dz = new float[n * O * plane];
        final float[] dz = this.dz;
        java.util.Arrays.fill(dz, 0, n * O * plane, 0f);
        java.util.Arrays.fill(db, 0, O, 0f);
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < O; o++) {
                final int zb = (img * O + o) * plane, ao = (img * O + o) * outPlane;
                float s = 0f;
                if (g.pool) {
                    for (int q = 0; q < outPlane; q++) {
                        dz[zb + arg[ao + q]] = dy[ao + q];
                        s += dy[ao + q];
                    }
                } else {
                    for (int oy = 0; oy < OH; oy++) {
                        for (int ox = 0; ox < OW; ox++) {
                            float d = dy[ao + oy * OW + ox];
                            dz[zb + oy * Wp + ox] = d;
                            s += d;
                        }
                    }
                }
                db[o] += s;
            }
        }

        // dw[o, c, kh, kw] = Σ_img Σ_(oy, ox) dz[img, o, oy, ox] · x[img, c, oy + kh, ox + kw]; the junk columns of
        // dz are zero, so whole chunks can be summed.
        // One flat list of chunk positions (img, oy, cx): x offset and dz offset (of filter 0).
        final int chunks = n * OH * (Wp / V);
        if (chunkX.length < chunks) {
            chunkX = new int[chunks];
            chunkZ = new int[chunks];
        }
        final int[] cxo = chunkX, czo = chunkZ;
        int q = 0;
        for (int img = 0; img < n; img++) {
            for (int oy = 0; oy < OH; oy++) {
                for (int cx = 0; cx < Wp; cx += V, q++) {
                    cxo[q] = img * C * HW + oy * W + cx;
                    czo[q] = img * O * plane + oy * Wp + cx;
                }
            }
        }
        for (int og = 0; og < O; og += 4) {
            final int d0 = og * plane, d1 = Math.min(og + 1, O - 1) * plane;
            final int d2 = Math.min(og + 2, O - 1) * plane, d3 = Math.min(og + 3, O - 1) * plane;
            for (int c = 0; c < C; c++) {
                for (int kh = 0; kh < K; kh++) {
                    for (int kw = 0; kw < K; kw++) {
                        final int tap = c * HW + kh * W + kw;
                        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                        for (int i = 0; i < chunks; i++) {
                            FloatVector xv = FloatVector.fromArray(S, x, cxo[i] + tap);
                            final int zi = czo[i];
                            s0 = FloatVector.fromArray(S, dz, zi + d0).fma(xv, s0);
                            s1 = FloatVector.fromArray(S, dz, zi + d1).fma(xv, s1);
                            s2 = FloatVector.fromArray(S, dz, zi + d2).fma(xv, s2);
                            s3 = FloatVector.fromArray(S, dz, zi + d3).fma(xv, s3);
                        }
                        final int t = (c * K + kh) * K + kw;
                        dw[og * CKK + t] = s0.reduceLanes(VectorOperators.ADD);
                        if (og + 1 < O) dw[(og + 1) * CKK + t] = s1.reduceLanes(VectorOperators.ADD);
                        if (og + 2 < O) dw[(og + 2) * CKK + t] = s2.reduceLanes(VectorOperators.ADD);
                        if (og + 3 < O) dw[(og + 3) * CKK + t] = s3.reduceLanes(VectorOperators.ADD);
                    }
                }
            }
        }
        if (dx != null) inputGradient(g, n, w, dx);
    }

    /**
     * dx[img, c, iy, ix] = Σ_o Σ_(kh, kw) dz[img, o, iy − kh, ix − kw] · w[o, c, kh, kw], gathered per output chunk
     * from dz copied into a plane with K−1 zeros on every side, four input channels at a time.
     */
    private void inputGradient(FusedConvRuntime.Geometry g, int n, float[] w, float[] dx) {
        final int C = g.c, H = g.h, W = g.w, HW = H * W, K = g.k, O = g.o, OH = g.convH, OW = g.convW;
        final int Wp = paddedWidth(OW), plane = OH * Wp;
        final int Wx = paddedWidth(W), Hq = OH + 2 * (K - 1), Wq = Wx + K - 1, planeQ = Hq * Wq;
        if (dzp.length < O * planeQ) dzp = new float[O * planeQ];
        if (dxRow.length < 4 * Wx) dxRow = new float[4 * Wx];
        final float[] dzp = this.dzp, dz = this.dz, row = dxRow;
        java.util.Arrays.fill(dzp, 0, O * planeQ, 0f);
        // Taps t = (o, kh, kw): dzp offset of dz[o, iy − kh, ix − kw] from (iy, ix), and per group of four input
        // channels the four weights w[o, c, kh, kw] side by side.
        final int OKK = O * K * K, groups = (C + 3) / 4;
        if (tapOffset.length < OKK) tapOffset = new int[OKK];
        if (tapWeights.length < groups * OKK * 4) tapWeights = new float[groups * OKK * 4];
        final int[] doff = tapOffset;
        final float[] wt = tapWeights;
        for (int o = 0; o < O; o++) {
            for (int kh = 0; kh < K; kh++) {
                for (int kw = 0; kw < K; kw++) {
                    final int t = (o * K + kh) * K + kw;
                    doff[t] = o * planeQ + (K - 1 - kh) * Wq + K - 1 - kw;
                }
            }
        }
        for (int cg = 0; cg < C; cg += 4) {
            for (int j = 0; j < 4; j++) {
                final int c = Math.min(cg + j, C - 1);
                for (int o = 0; o < O; o++) {
                    for (int kk = 0; kk < K * K; kk++) {
                        wt[(cg / 4 * OKK + o * K * K + kk) * 4 + j] = w[(o * C + c) * K * K + kk];
                    }
                }
            }
        }
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < O; o++) {
                for (int oy = 0; oy < OH; oy++) {
                    System.arraycopy(dz, (img * O + o) * plane + oy * Wp, dzp,
                            o * planeQ + (oy + K - 1) * Wq + K - 1, OW);
                }
            }
            for (int cg = 0; cg < C; cg += 4) {
                final int wb = cg / 4 * OKK * 4;
                for (int iy = 0; iy < H; iy++) {
                    for (int ix = 0; ix < Wx; ix += V) {
                        final int base = iy * Wq + ix;
                        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                        for (int t = 0; t < OKK; t++) {
                            FloatVector dv = FloatVector.fromArray(S, dzp, base + doff[t]);
                            final int wi = wb + 4 * t;
                            s0 = dv.fma(FloatVector.broadcast(S, wt[wi]), s0);
                            s1 = dv.fma(FloatVector.broadcast(S, wt[wi + 1]), s1);
                            s2 = dv.fma(FloatVector.broadcast(S, wt[wi + 2]), s2);
                            s3 = dv.fma(FloatVector.broadcast(S, wt[wi + 3]), s3);
                        }
                        s0.intoArray(row, ix);
                        s1.intoArray(row, Wx + ix);
                        s2.intoArray(row, 2 * Wx + ix);
                        s3.intoArray(row, 3 * Wx + ix);
                    }
                    for (int j = 0; j < 4 && cg + j < C; j++) {
                        System.arraycopy(row, j * Wx, dx, img * C * HW + (cg + j) * HW + iy * W, W);
                    }
                }
            }
        }
    }

    /**
     * y = act(a) over the first len entries: tanh, sigmoid and gelu with the Vector API's lanewise TANH and EXP
     * (Intel SVML on x64; Math.exp per element took a third of the first layer's time), the rest and the tail as
     * {@link FusedConvKernelsF#activate}.
     */
    static void activate(float[] a, float[] y, int len, int act) {
        if (act != FusedConvRuntime.TANH && act != FusedConvRuntime.SIGMOID && act != FusedConvRuntime.GELU) {
            FusedConvKernelsF.activate(a, y, len, act);
            return;
        }
        final int bound = S.loopBound(len);
        final FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < bound; i += V) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            FloatVector r = switch (act) {
                case FusedConvRuntime.TANH -> v.lanewise(VectorOperators.TANH);
                case FusedConvRuntime.SIGMOID -> one.div(v.neg().lanewise(VectorOperators.EXP).add(one));
                default -> v.div(v.mul(-1.702f).lanewise(VectorOperators.EXP).add(one));   // gelu: a·σ(1.702a)
            };
            r.intoArray(y, i);
        }
        if (bound < len) {
            float[] ta = java.util.Arrays.copyOfRange(a, bound, len), ty = new float[len - bound];
            FusedConvKernelsF.activate(ta, ty, len - bound, act);
            System.arraycopy(ty, 0, y, bound, len - bound);
        }
    }
}
