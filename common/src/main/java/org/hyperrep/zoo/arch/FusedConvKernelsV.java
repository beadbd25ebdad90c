package org.hyperrep.zoo.arch;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
    private float[] wsum = new float[0];
    private float[] pooled = new float[0];  // forward: one image's pooled outputs, V of slack
    private float[] pooledArg = new float[0];   // positions as floats, see pool
    /** Lane permutations of the pooling: even and odd lanes of a vector, twice (the blend picks the halves). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> (2 * i) % V);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> (2 * i + 1) % V);
    private static final VectorMask<Float> HIGH_HALF = VectorMask.fromLong(S, ((1L << V) - 1) & ~((1L << (V / 2)) - 1));
    private static final float[] EVEN_POSITIONS = new float[V];

    static {
        for (int i = 0; i < V; i++) EVEN_POSITIONS[i] = 2 * i;
    }    // weight gradient: lane sums [filter group][tap][4][V]
    /** Output chunks per block of the weight gradient: 72 is one conv1 image of cnn-s (24 rows of 3 chunks). */
    private static final int BLOCK = 72;

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
        if (z.length < O * plane + 2 * V) z = new float[O * plane + 2 * V];   // slack: pool's junk lanes
        final float[] z = this.z;
        // Taps t = (c, kh, kw): input offset and, per group of four filters, the four weights side by side.
        final int groups = (O + 3) / 4;
        if (tapOffset.length < CKK) tapOffset = new int[CKK];
        if (tapWeights.length < groups * CKK * 4 * V) tapWeights = new float[groups * CKK * 4 * V];
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
                for (int t = 0; t < CKK; t++) {
                    java.util.Arrays.fill(wt, ((og / 4 * CKK + t) * 4 + j) * V, ((og / 4 * CKK + t) * 4 + j + 1) * V,
                            w[o * CKK + t]);
                }
            }
        }
        for (int img = 0; img < n; img++) {
            final int xb = img * C * HW;
            for (int og = 0; og < O; og += 4) {
                final int o1 = Math.min(og + 1, O - 1), o2 = Math.min(og + 2, O - 1), o3 = Math.min(og + 3, O - 1);
                final int wb = og / 4 * CKK * 4 * V;
                int oy = 0;
                for (; oy + 1 < OH; oy += 2) {   // two output rows: 8 accumulators hide the FMA latency
                    for (int cx = 0; cx < Wp; cx += V) {
                        final int xr = xb + oy * W + cx, xr1 = xr + W;
                        FloatVector a0 = FloatVector.broadcast(S, b[og]), a1 = FloatVector.broadcast(S, b[o1]);
                        FloatVector a2 = FloatVector.broadcast(S, b[o2]), a3 = FloatVector.broadcast(S, b[o3]);
                        FloatVector c0 = a0, c1 = a1, c2 = a2, c3 = a3;
                        // one loop level carries the accumulators: C2 (Java 17) keeps them in registers only then
                        for (int t = 0; t < CKK; t++) {
                            final int xo = xoff[t];
                            FloatVector xv = FloatVector.fromArray(S, x, xr + xo);
                            FloatVector xw = FloatVector.fromArray(S, x, xr1 + xo);
                            final int wi = wb + 4 * V * t;
                            FloatVector w0 = FloatVector.fromArray(S, wt, wi);
                            a0 = xv.fma(w0, a0);
                            c0 = xw.fma(w0, c0);
                            FloatVector w1 = FloatVector.fromArray(S, wt, wi + V);
                            a1 = xv.fma(w1, a1);
                            c1 = xw.fma(w1, c1);
                            FloatVector w2 = FloatVector.fromArray(S, wt, wi + 2 * V);
                            a2 = xv.fma(w2, a2);
                            c2 = xw.fma(w2, c2);
                            FloatVector w3 = FloatVector.fromArray(S, wt, wi + 3 * V);
                            a3 = xv.fma(w3, a3);
                            c3 = xw.fma(w3, c3);
                        }
                        final int zo = oy * Wp + cx, zo1 = zo + Wp;
                        a0.intoArray(z, og * plane + zo);
                        c0.intoArray(z, og * plane + zo1);
                        if (og + 1 < O) {
                            a1.intoArray(z, (og + 1) * plane + zo);
                            c1.intoArray(z, (og + 1) * plane + zo1);
                        }
                        if (og + 2 < O) {
                            a2.intoArray(z, (og + 2) * plane + zo);
                            c2.intoArray(z, (og + 2) * plane + zo1);
                        }
                        if (og + 3 < O) {
                            a3.intoArray(z, (og + 3) * plane + zo);
                            c3.intoArray(z, (og + 3) * plane + zo1);
                        }
                    }
                }
                if (oy < OH) {   // the last row of an odd count
                    for (int cx = 0; cx < Wp; cx += V) {
                        final int xr = xb + oy * W + cx;
                        FloatVector a0 = FloatVector.broadcast(S, b[og]), a1 = FloatVector.broadcast(S, b[o1]);
                        FloatVector a2 = FloatVector.broadcast(S, b[o2]), a3 = FloatVector.broadcast(S, b[o3]);
                        for (int t = 0; t < CKK; t++) {
                            FloatVector xv = FloatVector.fromArray(S, x, xr + xoff[t]);
                            final int wi = wb + 4 * V * t;
                            a0 = xv.fma(FloatVector.fromArray(S, wt, wi), a0);
                            a1 = xv.fma(FloatVector.fromArray(S, wt, wi + V), a1);
                            a2 = xv.fma(FloatVector.fromArray(S, wt, wi + 2 * V), a2);
                            a3 = xv.fma(FloatVector.fromArray(S, wt, wi + 3 * V), a3);
                        }
                        final int zo = oy * Wp + cx;
                        a0.intoArray(z, og * plane + zo);
                        if (og + 1 < O) a1.intoArray(z, (og + 1) * plane + zo);
                        if (og + 2 < O) a2.intoArray(z, (og + 2) * plane + zo);
                        if (og + 3 < O) a3.intoArray(z, (og + 3) * plane + zo);
                    }
                }
            }
            if (g.pool) {
                pool(z, O, plane, Wp, g.outH, g.outW, a, arg, img * O * outPlane);
            } else {
                for (int o = 0; o < O; o++) {
                    for (int oy = 0; oy < OH; oy++) {
                        System.arraycopy(z, o * plane + oy * Wp, a, (img * O + o) * outPlane + oy * OW, OW);
                    }
                }
            }
        }
        activate(a, y, n * O * outPlane, act);
    }

    /**
     * 2x2/stride-2 max pooling of one image's conv planes z [O][OH][Wp] into a [O][PH][PW] at ab, with arg the
     * position oy·Wp + ox of each maximum (the first in scan order on ties, as the scalar kernels).
     *
     * <p>Vectorised over 2V conv columns at a time: the even and odd columns of two chunks are gathered into a
     * "left" and a "right" vector (two lane permutations and a blend each), so V pooled outputs come out of
     * lane-wise max, compare and blend. The last vector of a row may hold junk beyond PW: rows are written in order
     * into {@code pooled}/{@code pooledArg}, which have V entries of slack, and copied out per image; z needs 2V
     * floats of slack (the junk lanes read past the last row).
     */
    private void pool(float[] z, int O, int plane, int Wp, int PH, int PW, float[] a, int[] arg, int ab) {
        final int len = O * PH * PW;
        if (pooled.length < len + V) {
            pooled = new float[len + V];
            pooledArg = new float[len + V];
        }
        final float[] pv = pooled, pi = pooledArg;
        final FloatVector lane2 = FloatVector.fromArray(S, EVEN_POSITIONS, 0);   // 0, 2, 4, ...
        for (int o = 0; o < O; o++) {
            final int zb = o * plane;
            for (int py = 0; py < PH; py++) {
                final int r0 = zb + 2 * py * Wp, r1 = r0 + Wp, out = (o * PH + py) * PW;
                for (int c = 0; c < 2 * PW; c += 2 * V) {
                    FloatVector a0 = FloatVector.fromArray(S, z, r0 + c), b0 = FloatVector.fromArray(S, z, r0 + c + V);
                    FloatVector a1 = FloatVector.fromArray(S, z, r1 + c), b1 = FloatVector.fromArray(S, z, r1 + c + V);
                    FloatVector l0 = a0.rearrange(EVEN).blend(b0.rearrange(EVEN), HIGH_HALF);
                    FloatVector q0 = a0.rearrange(ODD).blend(b0.rearrange(ODD), HIGH_HALF);
                    FloatVector l1 = a1.rearrange(EVEN).blend(b1.rearrange(EVEN), HIGH_HALF);
                    FloatVector q1 = a1.rearrange(ODD).blend(b1.rearrange(ODD), HIGH_HALF);
                    VectorMask<Float> right0 = q0.compare(VectorOperators.GT, l0);   // strict: the left wins ties
                    VectorMask<Float> right1 = q1.compare(VectorOperators.GT, l1);
                    FloatVector m0 = l0.max(q0), m1 = l1.max(q1);
                    VectorMask<Float> lower = m1.compare(VectorOperators.GT, m0);  // strict: the upper row wins ties
                    // positions as floats (exact below 2^24): p = 2py·Wp + c + 2·lane, +1 right, +Wp lower row
                    FloatVector p0 = lane2.add((float) (2 * py * Wp + c));
                    FloatVector p1 = p0.add((float) Wp);
                    FloatVector i0 = p0.blend(p0.add(1f), right0), i1 = p1.blend(p1.add(1f), right1);
                    i0.blend(i1, lower).intoArray(pi, out + c / 2);
                    m0.max(m1).intoArray(pv, out + c / 2);
                }
            }
        }
        System.arraycopy(pv, 0, a, ab, len);
        // float → int here: the Vector API's F2I conversion is not intrinsified on AVX2 in Java 17 (it allocated)
        for (int i = 0; i < len; i++) arg[ab + i] = (int) pi[i];
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
        if (tapOffset.length < CKK) tapOffset = new int[CKK];
        final int[] xoff = tapOffset;
        for (int c = 0; c < C; c++) {
            for (int kh = 0; kh < K; kh++) {
                for (int kw = 0; kw < K; kw++) xoff[(c * K + kh) * K + kw] = c * HW + kh * W + kw;
            }
        }
        // Blocks of BLOCK chunks (about one conv1 image): the block's x and dz stay in L1 while every tap of every
        // filter group runs over them; the lane sums live in sums[group][tap][4 filters][V] between blocks.
        final int groups = (O + 3) / 4;
        if (wsum.length < groups * CKK * 4 * V) wsum = new float[groups * CKK * 4 * V];
        final float[] sums = wsum;
        java.util.Arrays.fill(sums, 0, groups * CKK * 4 * V, 0f);
        for (int i0 = 0; i0 < chunks; i0 += BLOCK) {
            final int i1 = Math.min(chunks, i0 + BLOCK);
            for (int og = 0; og < O; og += 4) {
                final int d0 = og * plane, d1 = Math.min(og + 1, O - 1) * plane;
                final int d2 = Math.min(og + 2, O - 1) * plane, d3 = Math.min(og + 3, O - 1) * plane;
                int t = 0;
                for (; t + 1 < CKK; t += 2) {   // two taps: 8 accumulators hide the FMA latency
                    final int ta = xoff[t], tb = xoff[t + 1], si = (og / 4 * CKK + t) * 4 * V;
                    FloatVector s0 = FloatVector.fromArray(S, sums, si), s1 = FloatVector.fromArray(S, sums, si + V);
                    FloatVector s2 = FloatVector.fromArray(S, sums, si + 2 * V);
                    FloatVector s3 = FloatVector.fromArray(S, sums, si + 3 * V);
                    FloatVector u0 = FloatVector.fromArray(S, sums, si + 4 * V);
                    FloatVector u1 = FloatVector.fromArray(S, sums, si + 5 * V);
                    FloatVector u2 = FloatVector.fromArray(S, sums, si + 6 * V);
                    FloatVector u3 = FloatVector.fromArray(S, sums, si + 7 * V);
                    for (int i = i0; i < i1; i++) {
                        final int xi = cxo[i], zi = czo[i];
                        FloatVector xa = FloatVector.fromArray(S, x, xi + ta);
                        FloatVector xb = FloatVector.fromArray(S, x, xi + tb);
                        FloatVector e0 = FloatVector.fromArray(S, dz, zi + d0);
                        s0 = e0.fma(xa, s0);
                        u0 = e0.fma(xb, u0);
                        FloatVector e1 = FloatVector.fromArray(S, dz, zi + d1);
                        s1 = e1.fma(xa, s1);
                        u1 = e1.fma(xb, u1);
                        FloatVector e2 = FloatVector.fromArray(S, dz, zi + d2);
                        s2 = e2.fma(xa, s2);
                        u2 = e2.fma(xb, u2);
                        FloatVector e3 = FloatVector.fromArray(S, dz, zi + d3);
                        s3 = e3.fma(xa, s3);
                        u3 = e3.fma(xb, u3);
                    }
                    s0.intoArray(sums, si);
                    s1.intoArray(sums, si + V);
                    s2.intoArray(sums, si + 2 * V);
                    s3.intoArray(sums, si + 3 * V);
                    u0.intoArray(sums, si + 4 * V);
                    u1.intoArray(sums, si + 5 * V);
                    u2.intoArray(sums, si + 6 * V);
                    u3.intoArray(sums, si + 7 * V);
                }
                if (t < CKK) {   // the last tap of an odd count
                    final int ta = xoff[t], si = (og / 4 * CKK + t) * 4 * V;
                    FloatVector s0 = FloatVector.fromArray(S, sums, si), s1 = FloatVector.fromArray(S, sums, si + V);
                    FloatVector s2 = FloatVector.fromArray(S, sums, si + 2 * V);
                    FloatVector s3 = FloatVector.fromArray(S, sums, si + 3 * V);
                    for (int i = i0; i < i1; i++) {
                        FloatVector xv = FloatVector.fromArray(S, x, cxo[i] + ta);
                        final int zi = czo[i];
                        s0 = FloatVector.fromArray(S, dz, zi + d0).fma(xv, s0);
                        s1 = FloatVector.fromArray(S, dz, zi + d1).fma(xv, s1);
                        s2 = FloatVector.fromArray(S, dz, zi + d2).fma(xv, s2);
                        s3 = FloatVector.fromArray(S, dz, zi + d3).fma(xv, s3);
                    }
                    s0.intoArray(sums, si);
                    s1.intoArray(sums, si + V);
                    s2.intoArray(sums, si + 2 * V);
                    s3.intoArray(sums, si + 3 * V);
                }
            }
        }
        for (int o = 0; o < O; o++) {
            for (int t = 0; t < CKK; t++) {
                dw[o * CKK + t] = FloatVector.fromArray(S, sums, ((o / 4 * CKK + t) * 4 + o % 4) * V)
                        .reduceLanes(VectorOperators.ADD);
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
        if (dxRow.length < 8 * Wx) dxRow = new float[8 * Wx];
        final float[] dzp = this.dzp, dz = this.dz, row = dxRow;
        java.util.Arrays.fill(dzp, 0, O * planeQ, 0f);
        // Taps t = (kh, o, kw): dzp offset of dz[o, iy − kh, ix − kw] from (iy, ix), and per group of four input
        // channels the four weights w[o, c, kh, kw] side by side. kh-major, so the taps of a kernel-row range are
        // one range of t: rows of dx near the top and bottom skip the kernel rows that would only read padding.
        final int OKK = O * K * K, groups = (C + 3) / 4;
        if (tapOffset.length < OKK) tapOffset = new int[OKK];
        if (tapWeights.length < groups * OKK * 4 * V) tapWeights = new float[groups * OKK * 4 * V];
        final int[] doff = tapOffset;
        final float[] wt = tapWeights;
        for (int o = 0; o < O; o++) {
            for (int kh = 0; kh < K; kh++) {
                for (int kw = 0; kw < K; kw++) {
                    final int t = (kh * O + o) * K + kw;
                    doff[t] = o * planeQ + (K - 1 - kh) * Wq + K - 1 - kw;
                }
            }
        }
        for (int cg = 0; cg < C; cg += 4) {
            for (int j = 0; j < 4; j++) {
                final int c = Math.min(cg + j, C - 1);
                for (int o = 0; o < O; o++) {
                    for (int kh = 0; kh < K; kh++) {
                        for (int kw = 0; kw < K; kw++) {
                            final int at = ((cg / 4 * OKK + (kh * O + o) * K + kw) * 4 + j) * V;
                            java.util.Arrays.fill(wt, at, at + V, w[((o * C + c) * K + kh) * K + kw]);
                        }
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
                final int wb = cg / 4 * OKK * 4 * V;
                int iy = 0;
                for (; iy + 1 < H; iy += 2) {   // two input rows: 8 accumulators hide the FMA latency
                    // kernel rows kh that reach dz (0 ≤ y − kh < OH) from row iy or iy + 1
                    final int t0 = Math.max(0, iy - OH + 1) * O * K, t1 = (Math.min(K - 1, iy + 1) + 1) * O * K;
                    for (int ix = 0; ix < Wx; ix += V) {
                        final int base = iy * Wq + ix, base1 = base + Wq;
                        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                        FloatVector u0 = s0, u1 = s0, u2 = s0, u3 = s0;
                        for (int t = t0; t < t1; t++) {
                            final int to = doff[t];
                            FloatVector dv = FloatVector.fromArray(S, dzp, base + to);
                            FloatVector dw1 = FloatVector.fromArray(S, dzp, base1 + to);
                            final int wi = wb + 4 * V * t;
                            FloatVector w0 = FloatVector.fromArray(S, wt, wi);
                            s0 = dv.fma(w0, s0);
                            u0 = dw1.fma(w0, u0);
                            FloatVector w1 = FloatVector.fromArray(S, wt, wi + V);
                            s1 = dv.fma(w1, s1);
                            u1 = dw1.fma(w1, u1);
                            FloatVector w2 = FloatVector.fromArray(S, wt, wi + 2 * V);
                            s2 = dv.fma(w2, s2);
                            u2 = dw1.fma(w2, u2);
                            FloatVector w3 = FloatVector.fromArray(S, wt, wi + 3 * V);
                            s3 = dv.fma(w3, s3);
                            u3 = dw1.fma(w3, u3);
                        }
                        s0.intoArray(row, ix);
                        s1.intoArray(row, Wx + ix);
                        s2.intoArray(row, 2 * Wx + ix);
                        s3.intoArray(row, 3 * Wx + ix);
                        u0.intoArray(row, 4 * Wx + ix);
                        u1.intoArray(row, 5 * Wx + ix);
                        u2.intoArray(row, 6 * Wx + ix);
                        u3.intoArray(row, 7 * Wx + ix);
                    }
                    for (int j = 0; j < 4 && cg + j < C; j++) {
                        final int dxo = img * C * HW + (cg + j) * HW + iy * W;
                        System.arraycopy(row, j * Wx, dx, dxo, W);
                        System.arraycopy(row, (4 + j) * Wx, dx, dxo + W, W);
                    }
                }
                if (iy < H) {   // the last row of an odd count
                    final int t0 = Math.max(0, iy - OH + 1) * O * K, t1 = (Math.min(K - 1, iy) + 1) * O * K;
                    for (int ix = 0; ix < Wx; ix += V) {
                        final int base = iy * Wq + ix;
                        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                        for (int t = t0; t < t1; t++) {
                            FloatVector dv = FloatVector.fromArray(S, dzp, base + doff[t]);
                            final int wi = wb + 4 * V * t;
                            s0 = dv.fma(FloatVector.fromArray(S, wt, wi), s0);
                            s1 = dv.fma(FloatVector.fromArray(S, wt, wi + V), s1);
                            s2 = dv.fma(FloatVector.fromArray(S, wt, wi + 2 * V), s2);
                            s3 = dv.fma(FloatVector.fromArray(S, wt, wi + 3 * V), s3);
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
