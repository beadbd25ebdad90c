import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.encoder.EncoderConfig;
import org.hyperrep.encoder.EncoderTrainer;
import org.hyperrep.encoder.EpochBatches;
import org.hyperrep.encoder.LossMonitor;
import org.hyperrep.encoder.TrainingSample;
import org.hyperrep.encoder.TrainingSamples;
import org.hyperrep.store.ZooStore;
import org.hyperrep.weights.ViewGenerator;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.Nd4jThreads;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Single-JVM harness of encoder training, the local engine's loop without checkpoints: per epoch the training
 * throughput (wall and main-thread CPU of {@code fit}, view generation and batch building timed apart), the
 * monitor's evaluation time (apart from training), and train/validation losses with held-out reconstruction R².
 * Run it through {@code bench/encoder-train}.
 *
 * <p>Args: {@code ZOO CONFIG [key=value ...]} (config overrides as {@code --set}). System properties:
 * {@code bench.threads} (ND4J threads; default: ND4J's own), {@code bench.monitor=false} (skip the losses),
 * {@code bench.maxBatches} (stop each epoch after this many minibatches). The zoo's samples are cached next to
 * the zoo's root in {@code /tmp} after the first run, so later runs start without Spark.
 */
public class EncoderTrainBench {

    public static void main(String[] args) throws Exception {
        String zoo = args[0];
        Config c = ConfigFiles.load(new File(args[1]), Arrays.asList(args).subList(2, args.length));
        EncoderConfig ec = EncoderConfig.from(c);
        if (System.getProperty("bench.threads") != null) Nd4jThreads.limit(Integer.getInteger("bench.threads"));
        boolean monitor = !"false".equals(System.getProperty("bench.monitor"));
        int maxBatches = Integer.getInteger("bench.maxBatches", Integer.MAX_VALUE);

        Object[] data = samples(zoo);
        WeightLayout layout = (WeightLayout) data[0];
        @SuppressWarnings("unchecked") List<TrainingSample> train = (List<TrainingSample>) data[1];
        @SuppressWarnings("unchecked") List<TrainingSample> val = (List<TrainingSample>) data[2];
        EncoderConfig.Training t = ec.training();
        var spec = ec.spec();
        ViewGenerator views = new ViewGenerator(layout, ec.augmentation());
        ComputationGraph graph = new EncoderTrainer(ec, layout, null, null).newGraph(train);
        System.out.printf("%s %s: %d params, %d train / %d validation samples, batch %d, lr %.1e; load %s%n",
                ec.architecture(), args[1], graph.numParams(), train.size(), val.size(), t.batchSize(),
                spec.learningRate(), load());
        var threads = ManagementFactory.getThreadMXBean();
        List<TrainingSample> monTrain = train.subList(0, Math.min(train.size(), t.monitorSamples()));
        List<TrainingSample> monVal = val.subList(0, Math.min(val.size(), t.monitorSamples()));
        for (int epoch = 1; epoch <= t.epochs(); epoch++) {
            EpochBatches batches = new EpochBatches(train.size(), t.batchSize(), spec.seed(), epoch);
            List<List<TrainingSample>> byBatch = new ArrayList<>();
            for (int b = 0; b < batches.batches(); b++) byBatch.add(new ArrayList<>());
            for (TrainingSample s : train) if (batches.batchOf(s.key()) >= 0) byBatch.get(batches.batchOf(s.key())).add(s);
            long buildCpu = 0, fitCpu = 0, fitWall = 0;
            int n = 0;
            for (List<TrainingSample> b : byBatch) {
                if (n >= maxBatches) break;
                long c0 = threads.getCurrentThreadCpuTime();
                MultiDataSet mds = EpochBatches.trainBatch(b, views, epoch, spec);
                long c1 = threads.getCurrentThreadCpuTime(), w1 = System.nanoTime();
                graph.fit(mds);
                fitWall += System.nanoTime() - w1;
                fitCpu += threads.getCurrentThreadCpuTime() - c1;
                buildCpu += c1 - c0;
                n++;
            }
            double samples = (double) n * t.batchSize();
            String losses = "";
            double monWall = 0;
            if (monitor) {
                long m0 = System.nanoTime();
                LossMonitor.Losses tr = LossMonitor.measure(graph, monTrain, views, spec, t.batchSize(), true);
                LossMonitor.Losses va = LossMonitor.measure(graph, monVal, views, spec, t.batchSize(), false);
                monWall = (System.nanoTime() - m0) / 1e9;
                losses = String.format("train loss %.5f (rec %.5f, R² %.3f), val loss %.5f (R² %.3f), ", tr.total(),
                        tr.reconstruction(), tr.reconstructionR2(), va.total(), va.reconstructionR2());
            }
            System.out.printf("epoch %d: %s%.1f samples/s wall (fit %.1f ms/batch wall, %.1f ms CPU main thread; "
                            + "batch building %.2f ms CPU), monitor %.2f s; load %s%n", epoch, losses,
                    samples / (fitWall / 1e9), fitWall / 1e6 / n, fitCpu / 1e6 / n, buildCpu / 1e6 / n, monWall, load());
            if (Boolean.getBoolean("bench.diag")) diagnose(graph, val, views, spec);
        }
    }

    /** Spread of the embedding and of the reconstruction across held-out samples, next to the targets' spread. */
    private static void diagnose(ComputationGraph graph, List<TrainingSample> val, ViewGenerator views,
                                 org.hyperrep.encoder.EncoderSpec spec) {
        MultiDataSet mds = EpochBatches.testBatch(val, views, -1, spec);
        var in = mds.getFeatures(0);
        var acts = graph.feedForward(in, false);
        var z = acts.get("embedding");
        var rec = graph.output(false, in)[0];
        System.out.printf("  z: mean |z| %.3f, mean std over samples %.4f; reconstruction std over samples %.4f "
                        + "(target %.4f); ", z.ameanNumber().doubleValue(), z.std(0).meanNumber().doubleValue(),
                rec.std(0).meanNumber().doubleValue(), in.std(0).meanNumber().doubleValue());
        for (String k : List.of("compression_readout", "decoder_input", "decoder_positions", "decoder_block_1", "tokens")) {
            if (acts.containsKey(k)) System.out.printf("%s std over samples %.4f, |x| %.3f; ", k,
                    acts.get(k).std(0).meanNumber().doubleValue(), acts.get(k).ameanNumber().doubleValue());
        }
        System.out.println();
    }

    /** [layout, train, validation], from a cache file in /tmp when present. */
    private static Object[] samples(String zoo) throws Exception {
        Path cache = Path.of("/tmp", "encoder-bench-" + Integer.toHexString(new File(zoo).getAbsolutePath().hashCode()) + ".ser");
        if (Files.exists(cache)) {
            try (var in = new ObjectInputStream(Files.newInputStream(cache))) {
                return new Object[]{new ZooStore(zoo).requireManifest().layout(), in.readObject(), in.readObject()};
            }
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("bench").getOrCreate();
        ZooStore store = new ZooStore(zoo);
        List<TrainingSample> train = new ArrayList<>(TrainingSamples.load(spark, store, "train"));
        List<TrainingSample> val = new ArrayList<>(TrainingSamples.load(spark, store, "validation"));
        spark.stop();
        try (var out = new ObjectOutputStream(Files.newOutputStream(cache))) {
            out.writeObject(train);
            out.writeObject(val);
        }
        return new Object[]{store.requireManifest().layout(), train, val};
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
    }
}
