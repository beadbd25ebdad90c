import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;

/**
 * Times the fused conv layers' float kernels alone (no DL4J) on cnn-s's three layer shapes at batch 32: forward
 * and backward per layer, microseconds per call, median of REPS blocks after a warm-up. Run it through
 * {@code bench/conv-kernels}. The kernels are package-private, so this reaches them by reflection (one call per
 * layer pass: the reflection costs nothing measurable). {@code -Dhyperrep.vectorApi=false} times the plain kernels.
 */
public class ConvKernelBench {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 9, calls = 200, n = 32;
        int[][] layers = {{1, 28, 28, 8, 5, 1}, {8, 12, 12, 6, 5, 1}, {6, 4, 4, 4, 2, 0}};   // c, h, w, o, k, pool
        String[] names = {"conv1", "conv2", "conv3"};
        Class<?> geoClass = Class.forName("org.hyperrep.zoo.arch.FusedConvRuntime$Geometry");
        Constructor<?> geoNew = geoClass.getDeclaredConstructor(int.class, int.class, int.class, int.class, int.class, boolean.class);
        geoNew.setAccessible(true);
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equals(System.getProperty("hyperrep.vectorApi"));
        Class<?> k = Class.forName(vector ? "org.hyperrep.zoo.arch.FusedConvKernelsV" : "org.hyperrep.zoo.arch.FusedConvKernelsF");
        System.out.printf("kernels %s, batch %d, %d calls x %d reps; tanh, dx for conv2 and conv3%n", k.getSimpleName(), n, calls, reps);
        Runnable[][] passes = new Runnable[layers.length][];
        for (int li = 0; li < layers.length; li++) {
            int[] s = layers[li];
            Object g = geoNew.newInstance(s[0], s[1], s[2], s[3], s[4], s[5] == 1);
            int outH = (s[1] - s[4] + 1) / (s[5] == 1 ? 2 : 1), outW = (s[2] - s[4] + 1) / (s[5] == 1 ? 2 : 1);
            int inLen = n * s[0] * s[1] * s[2], outLen = n * s[3] * outH * outW, wLen = s[3] * s[0] * s[4] * s[4];
            Random r = new Random(li);
            float[] x = rand(r, inLen + 64), w = rand(r, wLen), b = rand(r, s[3]), dy0 = rand(r, outLen);
            float[] a = new float[outLen], y = new float[outLen], dw = new float[wLen], db = new float[s[3]], dy = new float[outLen];
            float[] dx = li == 0 ? null : new float[inLen];
            int[] arg = new int[outLen];
            Runnable fwd, bwd;
            if (vector) {
                Constructor<?> c = k.getDeclaredConstructor();
                c.setAccessible(true);
                Object kv = c.newInstance();
                Method f = k.getDeclaredMethod("forward", geoClass, int.class, float[].class, float[].class, float[].class, float[].class, int[].class, float[].class, int.class);
                Method bw = k.getDeclaredMethod("backward", geoClass, int.class, float[].class, float[].class, float[].class, int[].class, float[].class, int.class, float[].class, float[].class, float[].class, float[].class);
                f.setAccessible(true);
                bw.setAccessible(true);
                fwd = () -> call(f, kv, g, n, x, w, b, a, arg, y, 1);
                bwd = () -> {
                    System.arraycopy(dy0, 0, dy, 0, outLen);
                    call(bw, kv, g, n, x, w, a, arg, y, 1, dy, dw, db, dx);
                };
            } else {
                throw new IllegalStateException("only the Vector API kernels: run with --add-modules=jdk.incubator.vector");
            }
            passes[li] = new Runnable[]{fwd, bwd};
        }
        // Warm-up as training runs: all layers in turn, so the JIT sees every shape before anything is timed.
        for (int i = 0; i < 1500; i++) {
            for (Runnable[] p : passes) {
                p[0].run();
                p[1].run();
            }
        }
        double total = 0;
        for (int li = 0; li < layers.length; li++) {
            double[] f = time(passes[li][0], calls, reps), bk = time(passes[li][1], calls, reps);
            System.out.printf("%s: forward %.1f us, backward %.1f us%n", names[li], f[0], bk[0]);
            total += f[0] + bk[0];
        }
        System.out.printf("RESULT kernels per batch of %d: %.1f us%n", n, total);
    }

    static void call(Method m, Object o, Object... a) {
        try { m.invoke(o, a); } catch (ReflectiveOperationException e) { throw new RuntimeException(e); }
    }

    static double[] time(Runnable r, int calls, int reps) {
        double[] t = new double[reps];
        for (int k = 0; k < reps; k++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) r.run();
            t[k] = (System.nanoTime() - t0) / 1e3 / calls;
        }
        Arrays.sort(t);
        return new double[]{t[reps / 2]};
    }

    static float[] rand(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian() * 0.3f;
        return f;
    }
}
