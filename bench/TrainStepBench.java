import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.config.DatasetSpec;
import org.hyperrep.config.TrainingSpec;
import org.hyperrep.zoo.GeneratingFactors;
import org.hyperrep.zoo.ModelTrainer;
import org.hyperrep.zoo.Nd4jThreads;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.hyperrep.zoo.arch.InPlaceUpdater;
import org.hyperrep.zoo.arch.NetworkInputs;
import org.hyperrep.zoo.data.Datasets;
import org.hyperrep.zoo.data.ImageData;
import org.hyperrep.zoo.data.ZooData;
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
 * {@code bench.threads} (ND4J threads, 1), {@code bench.threadDump=true} (CPU per thread group at the end),
 * {@code bench.workspaceMode} (ENABLED or NONE for training and inference; default: DL4J's, ENABLED),
 * {@code bench.cacheMode} (NONE, HOST, DEVICE; default: DL4J's, NONE), {@code bench.inPlaceUpdater=false} (DL4J's own
 * updater instead of the zoo's {@link InPlaceUpdater}).
 *
 * <p>With {@code ARCH epoch [MODELS]} it instead trains MODELS (default 3) whole models, one epoch each, through
 * the zoo's own {@link ModelTrainer} (shuffled minibatches, checkpoint and evaluation after epoch 1,
 * {@code bench.evalTrainMax} training images evaluated, default 10000): seconds per model-epoch in one JVM
 * without Spark, to compare with bench/zoo-build.
 *
 * <p>Per rep it prints wall time, process CPU (all threads: JIT, GC, ND4J's deallocators included), main-thread
 * CPU and the main thread's Java heap allocation per iteration (deterministic, unlike the times), and at the end
 * the GC time per iteration, the medians and the load average. On a shared machine compare main-thread CPU first:
 * it is the least load-sensitive figure.
 */
public class TrainStepBench {

    public static void main(String[] args) throws Exception {
        String arch = args.length > 0 ? args[0] : "cnn-s";
        if (args.length > 1 && args[1].equals("epoch")) {
            epochs(arch, args.length > 2 ? Integer.parseInt(args[2]) : 3);
            return;
        }
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : (arch.equals("tetris-mlp") ? 3000 : 300);
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        int batch = Integer.getInteger("bench.batch", 32);
        int warmup = Integer.getInteger("bench.warmup", 2 * iters);
        Nd4jThreads.limit(Integer.getInteger("bench.threads", 1));

        ZooData data = data(arch);
        Architecture a = Architectures.byName(arch);
        MultiLayerConfiguration conf = a.configuration(new GeneratingFactors(1, "tanh", "uniform", "adam", 1e-3, 0, 0, 1));
        String ws = System.getProperty("bench.workspaceMode");
        if (ws != null) {
            conf.setTrainingWorkspaceMode(WorkspaceMode.valueOf(ws));
            conf.setInferenceWorkspaceMode(WorkspaceMode.valueOf(ws));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        if (!"false".equals(System.getProperty("bench.inPlaceUpdater"))) InPlaceUpdater.install(net);   // as ModelTrainer
        String cache = System.getProperty("bench.cacheMode");
        if (cache != null) net.setCacheMode(CacheMode.valueOf(cache));

        // 16 distinct minibatches, cycled: realistic data without timing the batch assembly.
        ImageData train = data.train();
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            int from = (b * batch) % Math.max(1, train.size() - batch);
            batches.add(NetworkInputs.dataSet(a, train, from, from + batch));
        }

        System.out.printf("arch %s (%d params), batch %d, %d iterations x %d reps after %d warm-up; %s; workspaces %s, "
                        + "cache mode %s%n", arch, net.numParams(), batch, iters, reps, warmup, backend(net),
                conf.getTrainingWorkspaceMode(), cache == null ? "default" : cache);
        System.out.println("load average at start: " + loadAverage());
        for (int i = 0; i < warmup; i++) fit(net, batches.get(i % batches.size()));

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        var sunThreads = (com.sun.management.ThreadMXBean) threads;
        long gc0 = gcMillis();
        double[] wall = new double[reps], proc = new double[reps], main = new double[reps], alloc = new double[reps];
        for (int r = 0; r < reps; r++) {
            long w0 = System.nanoTime(), p0 = os.getProcessCpuTime(), m0 = threads.getCurrentThreadCpuTime();
            long a0 = sunThreads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < iters; i++) fit(net, batches.get(i % batches.size()));
            long w1 = System.nanoTime(), p1 = os.getProcessCpuTime(), m1 = threads.getCurrentThreadCpuTime();
            long a1 = sunThreads.getCurrentThreadAllocatedBytes();
            wall[r] = (w1 - w0) / 1e6 / iters;
            proc[r] = (p1 - p0) / 1e6 / iters;
            main[r] = (m1 - m0) / 1e6 / iters;
            alloc[r] = (a1 - a0) / 1024.0 / iters;
            System.out.printf("rep %d: wall %.3f ms/it, process CPU %.3f ms/it, main-thread CPU %.3f ms/it, "
                    + "Java heap allocated %.1f KiB/it%n", r + 1, wall[r], proc[r], main[r], alloc[r]);
        }
        System.out.printf("GC: %.3f ms of collection time per iteration (all collectors, timed reps)%n",
                (gcMillis() - gc0) / (double) (reps * iters));
        if (!Double.isFinite(net.score())) System.out.println("WARNING: score is " + net.score());
        System.out.printf("RESULT %s: median wall %.3f, process CPU %.3f, main-thread CPU %.3f ms/iteration "
                        + "(batch %d, %d x %d iterations); load average at end: %s%n",
                arch, median(wall), median(proc), median(main), batch, reps, iters, loadAverage());
        if (Boolean.getBoolean("bench.threadDump")) threadDump();
    }

    /** Same data set specs as the zoo configs: Fashion-MNIST 50k/10k split, Tetris 1000 noisy samples. */
    private static ZooData data(String arch) {
        boolean tetris = arch.equals("tetris-mlp");
        return Datasets.load(new DatasetSpec(tetris ? "tetris" : "fashion-mnist", "", 1.0, tetris ? 0 : 10000, 42,
                1000, 0.1));
    }

    /** Whole model-epochs through ModelTrainer, the first one a JIT warm-up. */
    private static void epochs(String arch, int models) throws Exception {
        Nd4jThreads.limit(Integer.getInteger("bench.threads", 1));
        ZooData data = data(arch);
        TrainingSpec spec = new TrainingSpec(1, List.of(1), Integer.getInteger("bench.batch", 32),
                Integer.getInteger("bench.evalTrainMax", 10000));
        ModelTrainer trainer = new ModelTrainer(Architectures.byName(arch), data, spec);
        int iterations = (data.train().size() + spec.batchSize() - 1) / spec.batchSize();
        System.out.printf("arch %s, %d models x 1 epoch (%d iterations of %d, then evaluation of %d train + %d "
                        + "validation + %d test images), after one warm-up model%n", arch, models, iterations,
                spec.batchSize(), Math.min(spec.evalTrainMax() > 0 ? spec.evalTrainMax() : Integer.MAX_VALUE,
                        data.train().size()), data.validation().size(), data.test().size());
        System.out.println("load average at start: " + loadAverage());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[models], proc = new double[models], main = new double[models];
        for (int m = -1; m < models; m++) {
            long w0 = System.nanoTime(), p0 = os.getProcessCpuTime(), m0 = threads.getCurrentThreadCpuTime();
            var checkpoints = trainer.train(new GeneratingFactors(100 + m, "tanh", "uniform", "adam", 3e-4, 0, 0, 1));
            long w1 = System.nanoTime(), p1 = os.getProcessCpuTime(), m1 = threads.getCurrentThreadCpuTime();
            if (m < 0) {
                System.out.printf("warm-up model (fresh JVM: JIT compilation running): wall %.2f s, process CPU %.2f s, "
                        + "main-thread CPU %.2f s%n", (w1 - w0) / 1e9, (p1 - p0) / 1e9, (m1 - m0) / 1e9);
                continue;
            }
            wall[m] = (w1 - w0) / 1e9;
            proc[m] = (p1 - p0) / 1e9;
            main[m] = (m1 - m0) / 1e9;
            System.out.printf("model %d: wall %.2f s, process CPU %.2f s, main-thread CPU %.2f s (%.2f ms/iteration); "
                    + "epoch 1 %s%n", m + 1, wall[m], proc[m], main[m], main[m] * 1e3 / iterations, checkpoints.get(0).metrics());
        }
        System.out.printf("RESULT %s model-epoch: median wall %.2f s, process CPU %.2f s, main-thread CPU %.2f s; "
                + "load average at end: %s%n", arch, median(wall), median(proc), median(main), loadAverage());
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

    private static long gcMillis() {
        long t = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, gc.getCollectionTime());
        return t;
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
