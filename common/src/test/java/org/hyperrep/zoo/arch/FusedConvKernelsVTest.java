package org.hyperrep.zoo.arch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vector API kernels against the plain double-precision kernels (which the gradient checks of
 * {@link FusedConvLayerTest} verify) on the zoo's layer shapes and on awkward ones: filter and channel counts that
 * are not multiples of four, output widths that are not multiples of the vector length, 1x1 kernels, one image.
 */
class FusedConvKernelsVTest {

    /** The build's test JVMs run with the module: otherwise every FLOAT test would only see the fallback. */
    @Test
    void testsRunWithTheVectorApi() {
        assertTrue(FusedConvRuntime.VECTOR_API, "surefire's argLine lacks --add-modules=jdk.incubator.vector");
    }

    static Stream<Arguments> shapes() {
        int[][] geometries = {   // c, h, w, o, k, pool (1/0), n
                {1, 28, 28, 8, 5, 1, 3},    // cnn-s conv1
                {8, 12, 12, 6, 5, 1, 2},    // cnn-s conv2
                {6, 4, 4, 4, 2, 0, 4},      // cnn-s conv3
                {1, 28, 28, 8, 5, 1, 2},
                {3, 11, 13, 5, 3, 0, 2},    // 9x11 output: partial chunks
                {2, 9, 9, 7, 2, 1, 1},      // 8x8 output, pooled; 7 filters
                {5, 6, 6, 3, 1, 1, 2},      // 1x1 kernel
                {9, 5, 7, 1, 3, 0, 3},      // one filter, 9 channels
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] g : geometries) {
            for (int act : new int[]{FusedConvRuntime.IDENTITY, FusedConvRuntime.TANH, FusedConvRuntime.RELU,
                    FusedConvRuntime.SIGMOID, FusedConvRuntime.GELU}) {
                out.add(Arguments.of(g, act));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "geometry {0}, activation {1}")
    @MethodSource("shapes")
    void vectorKernelsEqualTheDoubleKernels(int[] s, int act) {
        var g = new FusedConvRuntime.Geometry(s[0], s[1], s[2], s[3], s[4], s[5] == 1);
        int n = s[6];
        int inLen = n * g.c * g.h * g.w, outLen = n * g.o * g.outH * g.outW, wLen = g.o * g.c * g.k * g.k;
        Random r = new Random(31L * inLen + act);
        float[] x = new float[inLen + FusedConvKernelsV.SLACK];
        for (int i = 0; i < inLen; i++) x[i] = (float) r.nextGaussian();
        for (int i = inLen; i < x.length; i++) x[i] = 1e30f;   // the slack is read but must not reach any result
        float[] w = gaussian(r, wLen, 0.4), b = gaussian(r, g.o, 0.1), dy = gaussian(r, outLen, 1);

        FusedConvKernelsV v = new FusedConvKernelsV();
        float[] a = new float[outLen], y = new float[outLen], dw = new float[wLen], db = new float[g.o];
        float[] dx = new float[inLen];
        int[] arg = new int[outLen];
        // First a pass on other inputs (scratch arrays are reused, nothing of it may leak into the second)
        float[] other = x.clone();
        for (int i = 0; i < inLen; i++) other[i] = (float) r.nextGaussian();
        v.forward(g, n, other, w, b, a, arg, y, act);
        v.backward(g, n, other, w, a, arg, y, act, gaussian(r, outLen, 1), dw, db, dx);
        for (int rep = 0; rep < 2; rep++) {   // then twice on the tested inputs
            v.forward(g, n, x, w, b, a, arg, y, act);
            float[] d = dy.clone();
            v.backward(g, n, x, w, a, arg, y, act, d, dw, db, dx);
        }

        double[] xd = toDouble(x, inLen), wd = toDouble(w, wLen), bd = toDouble(b, g.o), dyd = toDouble(dy, outLen);
        double[][] z = new double[g.o][g.wideLength], dz = new double[n * g.o][g.wideLength];
        double[][] acc = new double[g.o][g.wideLength];
        double[] ad = new double[outLen], yd = new double[outLen], dwd = new double[wLen], dbd = new double[g.o];
        double[] dxd = new double[inLen];
        int[] argd = new int[outLen];
        FusedConvKernelsD.forward(g, n, xd, wd, bd, z, new double[g.wideLength], ad, argd, yd, act);
        FusedConvKernelsD.backward(g, n, xd, wd, ad, argd, yd, act, dyd, dz, acc, new double[g.wideLength],
                new double[g.wideLength], dwd, dbd, dxd);

        assertClose(ad, a, "pre-activations");
        assertClose(yd, y, "activations");
        assertClose(dbd, db, "bias gradient");
        assertClose(dwd, dw, "weight gradient");
        assertClose(dxd, dx, "input gradient");
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        double scale = 1e-12;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-5 * scale + 1e-6, what + " [" + i + "]");
        }
    }

    private static float[] gaussian(Random r, int len, double sd) {
        float[] f = new float[len];
        for (int i = 0; i < len; i++) f[i] = (float) (sd * r.nextGaussian());
        return f;
    }

    private static double[] toDouble(float[] f, int len) {
        double[] d = new double[len];
        for (int i = 0; i < len; i++) d[i] = f[i];
        return d;
    }
}
