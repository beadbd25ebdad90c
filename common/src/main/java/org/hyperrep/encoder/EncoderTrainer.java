package org.hyperrep.encoder;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;
import org.hyperrep.weights.ViewGenerator;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.Nd4jThreads;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * Trains the hyper-representation model: every epoch, fresh augmented views of every training sample in
 * minibatches that keep both views of a model together; either with DL4J parameter averaging on Spark (engine
 * {@code spark}) or in this JVM (engine {@code local}), the same graph and batches either way. After each epoch it
 * measures the losses, reduces the learning rate on a plateau, and saves a checkpoint from which a killed run
 * resumes.
 */
public final class EncoderTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(EncoderTrainer.class);
    /** How often training forces a full collection to release native buffers ({@link PeriodicGc}). */
    private static final long GC_INTERVAL_MILLIS = 5_000;

    /** Losses after one epoch, on the monitored training samples (train views) and validation samples (test views). */
    public record EpochRecord(int epoch, double learningRate, double seconds, double samplesPerSecond,
                              LossMonitor.Losses train, LossMonitor.Losses validation) {
    }

    /** What a resumed run needs besides the graph. */
    public record State(int epoch, double learningRate, double bestLoss, int epochsSinceBest, String fingerprint,
                        List<EpochRecord> history) {
    }

    private final EncoderConfig config;
    private final WeightLayout layout;
    private final EncoderStore store;
    private final JavaSparkContext jsc;

    /** @param jsc the Spark context; may be null for the local engine */
    public EncoderTrainer(EncoderConfig config, WeightLayout layout, EncoderStore store, JavaSparkContext jsc) {
        this.config = config;
        this.layout = layout;
        this.store = store;
        this.jsc = jsc;
    }

    /** A new, untrained graph for this config. */
    public ComputationGraph newGraph(List<TrainingSample> train) {
        EncoderSpec spec = config.spec();
        LayerStatistics stats = spec.needsLayerStatistics()
                ? LayerStatistics.of(layout, train.stream().map(TrainingSample::weights).toList()) : null;
        if (config.architecture().equals("mlp")) {
            return HyperRepresentationModel.buildMlp(layout, spec, stats,
                    config.mlpHidden().stream().mapToInt(Integer::intValue).toArray());
        }
        return HyperRepresentationModel.build(layout, spec, stats);
    }

    /**
     * @param train       training samples, keys 0..n-1
     * @param validation  validation samples for monitoring (keys 0..m-1)
     * @param fingerprint identity of config and data: a checkpoint with another fingerprint is not resumed
     */
    public ComputationGraph train(List<TrainingSample> train, List<TrainingSample> validation, String fingerprint) {
        EncoderConfig.Training t = config.training();
        EncoderSpec spec = config.spec();
        if (train.size() < t.batchSize()) {
            throw new org.hyperrep.config.BadInputException("the training split has " + train.size()
                    + " samples, fewer than one minibatch (encoder.training.batch-size = " + t.batchSize() + ")");
        }
        ViewGenerator views = new ViewGenerator(layout, config.augmentation());
        int threads = t.threadsPerTask();
        Nd4jThreads.limit(threads);   // the driver (local engine, monitoring) and, in local mode, the Spark tasks
        ComputationGraph graph;
        State state = resumable(fingerprint);
        if (state != null) {
            try {
                graph = EncoderStore.readGraph(store.checkpointModel(), true);
            } catch (org.hyperrep.config.BadInputException e) {
                throw new org.hyperrep.config.BadInputException(e.getMessage() + "; delete "
                        + store.checkpointModel().getParent() + " to train from the start", e);
            }
            LOG.info("resuming from the checkpoint after epoch {} in {}", state.epoch(), store.root());
        } else {
            graph = newGraph(train);
            state = new State(0, spec.learningRate(), Double.POSITIVE_INFINITY, 0, fingerprint, List.of());
        }
        List<TrainingSample> monitorTrain = train.subList(0, Math.min(train.size(), t.monitorSamples()));
        List<TrainingSample> monitorVal = validation.subList(0, Math.min(validation.size(), t.monitorSamples()));
        SparkComputationGraph sparkNet = null;
        JavaRDD<TrainingSample> samples = null;
        if (t.engine().equals("spark")) {
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(2 * t.batchSize())
                    .batchSizePerWorker(2 * t.batchSize()).averagingFrequency(t.averagingFrequency())
                    .workerPrefetchNumBatches(0).rddTrainingApproach(RDDTrainingApproach.Direct)
                    .collectTrainingStats(false).build();
            sparkNet = new SparkComputationGraph(jsc, graph, tm);
            sparkNet.setListeners(new PeriodicGc(GC_INTERVAL_MILLIS));
            samples = jsc.parallelize(train, Math.max(jsc.defaultParallelism(), 1)).cache();
        }
        if (sparkNet == null) graph.addListeners(new PeriodicGc(GC_INTERVAL_MILLIS));
        List<EpochRecord> history = new ArrayList<>(state.history());
        double lr = state.learningRate();
        double best = state.bestLoss();
        int sinceBest = state.epochsSinceBest();
        boolean cosine = t.schedule().equals(LearningRateSchedule.WARMUP_COSINE);
        for (int epoch = state.epoch() + 1; epoch <= t.epochs(); epoch++) {
            long start = System.nanoTime();
            if (cosine) {
                lr = LearningRateSchedule.warmupCosine(spec.learningRate(), epoch, t.epochs(), t.warmupEpochs(),
                        t.finalRateFactor());
            }
            EpochBatches batches = new EpochBatches(train.size(), t.batchSize(), spec.seed(), epoch);
            if (sparkNet != null) {
                sparkNet.getNetwork().setLearningRate(lr);
                sparkNet.fitMultiDataSet(sparkBatches(samples, batches, views, epoch, spec, threads));
                graph = sparkNet.getNetwork();
            } else {
                graph.setLearningRate(lr);
                for (List<TrainingSample> b : localBatches(train, batches)) {
                    graph.fit(EpochBatches.trainBatch(b, views, epoch, spec));
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            LossMonitor.Losses tr = LossMonitor.measure(graph, monitorTrain, views, spec, t.batchSize(), true);
            LossMonitor.Losses va = LossMonitor.measure(graph, monitorVal, views, spec, t.batchSize(), false);
            EpochRecord rec = new EpochRecord(epoch, lr, secs, batches.batches() * t.batchSize() / secs, tr, va);
            history.add(rec);
            double monitorSecs = (System.nanoTime() - start) / 1e9 - secs;
            LOG.info(String.format("epoch %d/%d: train loss %.5f (contrastive %.4f, reconstruction %.5f, R² %.3f), "
                            + "validation loss %.5f (R² %.3f), %.1f samples/s (training; monitoring took %.1f s), lr %.2e", epoch, t.epochs(),
                    tr.total(), tr.contrastive(), tr.reconstruction(), tr.reconstructionR2(), va.total(),
                    va.reconstructionR2(), rec.samplesPerSecond(), monitorSecs, lr));
            if (tr.total() < best - 1e-12) {
                best = tr.total();
                sinceBest = 0;
            } else if (++sinceBest > t.plateauPatience() && !cosine) {
                lr *= t.plateauFactor();
                sinceBest = 0;
                LOG.info("loss plateau: learning rate reduced to {}", lr);
            }
            store.writeGraph(store.checkpointModel(), graph, true);
            store.writeJson(store.checkpointState(), new State(epoch, lr, best, sinceBest, fingerprint, history));
        }
        this.history = history;
        return graph;
    }

    private List<EpochRecord> history = List.of();

    /** Per-epoch records of the last {@link #train} call, resumed epochs included. */
    public List<EpochRecord> history() { return history; }

    private State resumable(String fingerprint) {
        if (!HadoopFiles.exists(store.checkpointState()) || !HadoopFiles.exists(store.checkpointModel())) return null;
        try {
            State s = Json.MAPPER.readValue(HadoopFiles.readText(store.checkpointState()), State.class);
            if (!fingerprint.equals(s.fingerprint())) {
                throw new org.hyperrep.config.BadInputException("the checkpoint in " + store.root()
                        + " was made with another config or zoo: train into another --out");
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new org.hyperrep.config.BadInputException(store.checkpointState() + " is not valid: " + e.getMessage(), e);
        }
    }

    private static List<List<TrainingSample>> localBatches(List<TrainingSample> train, EpochBatches batches) {
        List<List<TrainingSample>> out = new ArrayList<>();
        for (int b = 0; b < batches.batches(); b++) out.add(new ArrayList<>());
        for (TrainingSample s : train) {
            int b = batches.batchOf(s.key());
            if (b >= 0) out.get(b).add(s);
        }
        return out;
    }

    private static JavaRDD<MultiDataSet> sparkBatches(JavaRDD<TrainingSample> samples, EpochBatches batches,
                                                      ViewGenerator views, int epoch, EncoderSpec spec,
                                                      int threads) {
        int partitions = Math.max(1, samples.getNumPartitions());
        return samples.mapToPair(s -> new Tuple2<>(batches.batchOf(s.key()), s))
                .filter(p -> p._1() >= 0)
                .groupByKey(partitions)
                .map(g -> {
                    // runs in the executor JVM that fits these batches: limit its ND4J threads there as well
                    Nd4jThreads.limit(threads);
                    return EpochBatches.trainBatch(StreamSupport.stream(g._2().spliterator(), false).toList(),
                            views, epoch, spec);
                });
    }

    /** The encoder's record: what encoder.json holds besides provenance. */
    public static Map<String, Object> describe(EncoderConfig config, WeightLayout layout, List<EpochRecord> history) {
        return Map.of("encoder", config, "layout", layout, "history", history);
    }
}
