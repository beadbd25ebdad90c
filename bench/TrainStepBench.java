import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.config.DatasetSpec;
import org.hyperrep.zoo.GeneratingFactors;
import org.hyperrep.zoo.Nd4jThreads;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.hyperrep.zoo.arch.NetworkInputs;
import org.hyperrep.zoo.data.Datasets;
import org.hyperrep.zoo.data.ImageData;
import org.hyperrep.zoo.data.ZooData;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Single-JVM micro-benchmark of one training step: {@code MultiLayerNetwork.fit(features, labels)} at a fixed batch
 * size with ND4J limited to one thread, exactly as a zoo-build task trains (same architectures, same recipe, same
 * inputs). Not a unit test and not JMH: run it through {@code bench/train-step} (builds nothing, uses the launcher's
 * classpath).
 *
 * <p>Args: {@code ARCH [ITERS [REPS]]}, e.g. {@code cnn-s 300 7} or {@code tetris-mlp 3000 7}. System properties:
 * {@code bench.batch} (32), {@code bench.warmup} (iterations before timing; default 2 reps' worth),
 * {@code bench.threads} (ND4J threads, 1), {@code bench.threadDump=true} (CPU per thread group at the end).
 *
 * <p>Per rep it prints wall time, process CPU (all threads: JIT, GC, ND4J's deallocators included) and main-thread
 * CPU per iteration, and at the end the medians and the load average. On a shared machine compare main-thread CPU
 * first: it is the least load-sensitive figure.
 */
public class TrainStepBench {

    public static void main(String[] args) throws Exception {
        String arch = args.length > 0 ? args[0] : "cnn-s";
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : (arch.equals("tetris-mlp") ? 3000 : 300);
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        int batch = Integer.getInteger("bench.batch", 32);
        int warmup = Integer.getInteger("bench.warmup", 2 * iters);
        Nd4jThreads.limit(Integer.getInteger("bench.threads", 1));

        boolean tetris = arch.equals("tetris-mlp");
        // Same data set specs as the zoo configs: Fashion-MNIST 50k/10k split, Tetris 1000 noisy samples.
        DatasetSpec spec = new DatasetSpec(tetris ? "tetris" : "fashion-mnist", "", 1.0, tetris ? 0 : 10000, 42, 1000, 0.1);
        ZooData data = Datasets.load(spec);
        Architecture a = Architectures.byName(arch);
        MultiLayerNetwork net = new MultiLayerNetwork(a.configuration(
                new GeneratingFactors(1, "tanh", "uniform", "adam", 1e-3, 0, 0, 1)));
        net.init();

        // 16 distinct minibatches, cycled: realistic data without timing the batch assembly.
        ImageData train = data.train();
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            int from = (b * batch) % Math.max(1, train.size() - batch);
            batches.add(NetworkInputs.dataSet(a, train, from, from + batch));
        }

        System.out.printf("arch %s (%d params), batch %d, %d iterations x %d reps after %d warm-up; %s%n",
                arch, net.numParams(), batch, iters, reps, warmup, backend(net));
        System.out.println("load average at start: " + loadAverage());
        for (int i = 0; i < warmup; i++) fit(net, batches.get(i % batches.size()));

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[reps], proc = new double[reps], main = new double[reps];
        for (int r = 0; r < reps; r++) {
            long w0 = System.nanoTime(), p0 = os.getProcessCpuTime(), m0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < iters; i++) fit(net, batches.get(i % batches.size()));
            long w1 = System.nanoTime(), p1 = os.getProcessCpuTime(), m1 = threads.getCurrentThreadCpuTime();
            wall[r] = (w1 - w0) / 1e6 / iters;
            proc[r] = (p1 - p0) / 1e6 / iters;
            main[r] = (m1 - m0) / 1e6 / iters;
            System.out.printf("rep %d: wall %.3f ms/it, process CPU %.3f ms/it, main-thread CPU %.3f ms/it%n",
                    r + 1, wall[r], proc[r], main[r]);
        }
        if (!Double.isFinite(net.score())) System.out.println("WARNING: score is " + net.score());
        System.out.printf("RESULT %s: median wall %.3f, process CPU %.3f, main-thread CPU %.3f ms/iteration "
                        + "(batch %d, %d x %d iterations); load average at end: %s%n",
                arch, median(wall), median(proc), median(main), batch, reps, iters, loadAverage());
        if (Boolean.getBoolean("bench.threadDump")) threadDump();
    }

    private static void fit(MultiLayerNetwork net, DataSet ds) {
        net.fit(ds.getFeatures(), ds.getLabels());
    }

    /** Which native build is loaded and which layers got a oneDNN helper. */
    private static String backend(MultiLayerNetwork net) {
        String lib = "?";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (l.contains("libnd4jcpu.so")) {
                    lib = l.substring(l.lastIndexOf('/', l.lastIndexOf("/libnd4jcpu.so") - 1) + 1, l.lastIndexOf("/libnd4jcpu.so"));
                    break;
                }
            }
        } catch (Exception e) {
            lib = "? (" + e + ")";
        }
        int helpers = 0, candidates = 0;
        for (Layer l : net.getLayers()) {
            try {
                var f = l.getClass().getDeclaredField("helper");
                f.setAccessible(true);
                candidates++;
                if (f.get(l) != null) helpers++;
            } catch (NoSuchFieldException | IllegalAccessException e) {
                // a layer without helper support
            }
        }
        return "libnd4j " + lib + ", oneDNN helpers on " + helpers + "/" + candidates + " conv/pool layers, BLAS threads "
                + Nd4j.factory().blas().getMaxThreads();
    }

    private static String loadAverage() throws Exception {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2] + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** CPU seconds per thread group (names with trailing numbers merged), from /proc. */
    private static void threadDump() throws Exception {
        Map<String, Long> ticks = new TreeMap<>();
        for (File t : new File("/proc/self/task").listFiles()) {
            String st = Files.readString(t.toPath().resolve("stat"));
            String comm = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
            String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
            ticks.merge(comm, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        }
        ticks.forEach((k, v) -> {
            if (v > 0) System.out.printf("thread %-16s %8.2f s CPU%n", k, v / 100.0);
        });
    }
}
