package org.hyperrep.probe;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.hyperrep.config.BadInputException;
import org.hyperrep.config.ProbeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;

/**
 * The downstream evaluation of docs/method.md for one zoo: every probe target that varies in the train split,
 * predicted from every feature set, fitted on the train split, hyper-parameters chosen on validation, scored on
 * test. Splits are by model, as the zoo recorded them in the {@code split} column.
 * <p>Input: one row per checkpoint with {@code model_id}, {@code epoch}, {@code split} (train, validation, test),
 * the target columns of the checkpoint table, and one vector column per feature set (e.g. W from
 * {@code RawWeights}, sW from {@code WeightStatistics}, an embedding). Rows whose {@code status} is not {@code ok}
 * are dropped when that column is present; rows with a null feature vector are left out of that feature set.
 * Per feature set, the train, validation and test rows are read once and cached for all its probes (so the
 * input is scanned three times per feature set: cache it first if computing it is expensive).
 */
public final class ProbeSuite {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeSuite.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Train splits with at most this many feature values (rows × features) are fitted from one partition. */
    static final long ONE_PARTITION_MAX_VALUES = 4_000_000;
    public static final String TEST_ACCURACY = "test_accuracy";

    /** Columns of {@link ProbeRun#predictions()}. */
    public static final StructType PREDICTIONS_SCHEMA = new StructType()
            .add("model_id", DataTypes.StringType, false)
            .add("epoch", DataTypes.IntegerType, false)
            .add("target", DataTypes.StringType, false)
            .add("feature_set", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("true", DataTypes.DoubleType, false)
            .add("predicted", DataTypes.DoubleType, false)
            .add("true_label", DataTypes.StringType, true)
            .add("predicted_label", DataTypes.StringType, true);

    /**
     * @param results     one per (feature set, target), feature sets in the given order, targets in the paper's
     * @param predictions per test row and probe: model_id, epoch, target, feature_set, model, true, predicted
     *                    (class index for classification, with the class names in true_label and
     *                    predicted_label, null for regression); {@link #PREDICTIONS_SCHEMA}
     * @param probes      the fitted probes, same order as results
     */
    public record ProbeRun(List<ProbeResult> results, Dataset<Row> predictions, List<TrainedProbe> probes) {
    }

    private final ProbeConfig config;

    public ProbeSuite(ProbeConfig config) {
        this.config = config;
    }

    /**
     * Fits and scores every probe. When {@code modelDir} is not null, each fitted probe is saved under
     * {@code modelDir/FEATURE_SET/TARGET/} ({@link TrainedProbe#save}) as soon as it is fitted.
     */
    public ProbeRun run(Dataset<Row> checkpoints, List<FeatureSet> featureSets, String modelDir) {
        validate(checkpoints, featureSets);
        Dataset<Row> rows = Arrays.asList(checkpoints.columns()).contains("status")
                ? checkpoints.filter(col("status").equalTo("ok")) : checkpoints;
        List<ProbeTarget> targets = ProbeTargets.varying(rows.filter(col("split").equalTo("train")));
        if (!config.targets().isEmpty()) {
            List<String> known = ProbeTargets.all().stream().map(ProbeTarget::name).toList();
            for (String t : config.targets()) {
                if (!known.contains(t)) throw new BadInputException("probe.targets: unknown target " + t + "; known: " + known);
            }
            targets = targets.stream().filter(t -> config.targets().contains(t.name())).toList();
        }
        LOG.info("probing {} targets ({}) from {} feature sets; MLlib linear algebra: {}", targets.size(),
                targets.stream().map(ProbeTarget::name).toList(), featureSets.size(), NativeBlas.describe());
        List<ProbeResult> results = new ArrayList<>();
        List<TrainedProbe> probes = new ArrayList<>();
        List<Row> predictions = new ArrayList<>();
        int threads = config.parallelism() > 0 ? config.parallelism()
                : Math.max(1, rows.sparkSession().sparkContext().defaultParallelism());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "probe-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            runAll(rows, featureSets, targets, modelDir, pool, results, probes, predictions);
        } finally {
            pool.shutdownNow();
        }
        SparkSession spark = checkpoints.sparkSession();
        return new ProbeRun(List.copyOf(results), spark.createDataFrame(predictions, PREDICTIONS_SCHEMA),
                List.copyOf(probes));
    }

    /** One probe's outcome: its result row, the fitted probe and its test predictions. */
    private record Probed(ProbeResult result, TrainedProbe probe, List<Row> predictions) {
    }

    /**
     * One feature set's train, validation and test rows, cached ({@code cached}) and as the probes read them
     * ({@code train}, {@code validation}, {@code test}: one partition when small).
     */
    private record Splits(FeatureSet featureSet, List<Dataset<Row>> cached, Dataset<Row> train,
                          Dataset<Row> validation, Dataset<Row> test, long trainRows) {
    }

    /**
     * Every (feature set, target) probe on the pool at once, the slow kinds first (classifiers, then boosted
     * regression, then ridge) so that the last ones to finish are short; results in feature-set, target order.
     */
    private void runAll(Dataset<Row> rows, List<FeatureSet> featureSets, List<ProbeTarget> targets, String modelDir,
                        ExecutorService pool, List<ProbeResult> results, List<TrainedProbe> probes,
                        List<Row> predictions) {
        List<Splits> splits = new ArrayList<>();
        try {
            for (FeatureSet fs : featureSets) splits.add(prepare(rows, fs, targets));
            record Task(Splits splits, ProbeTarget target) {
                int rank() {
                    if (target.kind() == ProbeTarget.Kind.CLASSIFICATION) return 0;
                    return splits.featureSet().family() == FeatureSet.Family.GBT ? 1 : 2;
                }
            }
            List<Task> tasks = new ArrayList<>();
            for (Splits sp : splits) targets.forEach(t -> tasks.add(new Task(sp, t)));
            Map<Task, Future<Probed>> running = new HashMap<>();
            tasks.stream().sorted(Comparator.comparingInt(Task::rank)).forEach(t -> running.put(t, pool.submit(
                    () -> probe(t.splits().featureSet(), t.target(), t.splits().train(), t.splits().validation(),
                            t.splits().test(), t.splits().trainRows(), modelDir))));
            for (Task t : tasks) {
                Probed p = await(running.get(t));
                results.add(p.result());
                probes.add(p.probe());
                predictions.addAll(p.predictions());
            }
        } finally {
            for (Splits sp : splits) sp.cached().forEach(Dataset::unpersist);
        }
    }

    private Splits prepare(Dataset<Row> rows, FeatureSet fs, List<ProbeTarget> targets) {
        // epoch is an id column and may be a target too: each column once
        Set<String> names = new LinkedHashSet<>(List.of("model_id", "epoch", fs.column()));
        targets.forEach(t -> names.add(t.name()));
        Column[] keep = names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        Dataset<Row> data = rows.filter(col(fs.column()).isNotNull());
        Dataset<Row> train = data.filter(col("split").equalTo("train")).select(keep);
        if (config.maxTrainRows() > 0) {
            train = train.orderBy(rand(config.seed())).limit((int) Math.min(Integer.MAX_VALUE, config.maxTrainRows()));
        }
        Dataset<Row> validation = data.filter(col("split").equalTo("validation")).select(keep);
        Dataset<Row> test = data.filter(col("split").equalTo("test")).select(keep);
        // Every L-BFGS or boosting iteration is a Spark job with one task per partition: the few thousand rows
        // of a zoo in the (shuffle-sized) partitions of a join make the task overhead dominate. One partition
        // per core is enough for probe-sized data.
        int parallelism = rows.sparkSession().sparkContext().defaultParallelism();
        List<Dataset<Row>> cached = new ArrayList<>();
        for (Dataset<Row> d : List.of(train, validation, test)) {
            cached.add(d.coalesce(parallelism).persist(StorageLevel.MEMORY_AND_DISK()));
        }
        long trainRows = cached.get(0).count();
        long validationRows = cached.get(1).count();
        long testRows = cached.get(2).count();
        if (trainRows == 0 || validationRows == 0 || testRows == 0) {
            cached.forEach(Dataset::unpersist);
            throw new BadInputException("feature set " + fs.name() + " has " + trainRows + " train, "
                    + validationRows + " validation and " + testRows + " test rows: every split needs rows");
        }
        // Small data in one partition: every iteration of an MLlib solver is a Spark job, and a job of one task
        // costs less than one of several; the probes running side by side use the other cores.
        boolean small = trainRows * Scoring.vectorSize(cached.get(0), fs.column()) <= ONE_PARTITION_MAX_VALUES;
        List<Dataset<Row>> read = cached.stream().map(d -> small ? d.coalesce(1) : d).toList();
        return new Splits(fs, cached, read.get(0), read.get(1), read.get(2), trainRows);
    }

    /** Fits, scores and (with {@code modelDir}) saves one probe; runs on a pool thread. */
    private Probed probe(FeatureSet fs, ProbeTarget target, Dataset<Row> train, Dataset<Row> validation,
                         Dataset<Row> test, long trainRows, String modelDir) {
        long start = System.nanoTime();
        ProbeFit fit = fit(fs, target, train, validation);
        double seconds = (System.nanoTime() - start) / 1e9;
        Scoring.Scored s = Scoring.score(fit.pipeline(), test, fs.column(), target, fit.labels(), true);
        double testMetric = Scoring.metric(target.kind(), s);
        Double tau = target.name().equals(TEST_ACCURACY) ? Metrics.kendallTauB(s.truth(), s.predicted()) : null;
        ProbeResult r = new ProbeResult(target.name(), target.kind().label(), fs.name(), fit.model(),
                100 * testMetric, 100 * fit.validationMetric(), fit.chosenHyperparameter(), tau,
                trainRows, s.size(), seconds);
        LOG.info(String.format(Locale.ROOT, "probe %s / %s / %s: test %s %.1f %%, validation %.1f %%%s%s"
                        + " (%d train, %d test rows, %.1f s)", fs.name(), target.name(), fit.model(),
                target.kind() == ProbeTarget.Kind.REGRESSION ? "R²" : "accuracy", r.testMetric(),
                r.validationMetric(), r.chosenHyperparameter() == null ? "" : ", regParam " + r.chosenHyperparameter(),
                tau == null ? "" : String.format(Locale.ROOT, ", Kendall τ %.3f", tau), trainRows, s.size(), seconds));
        TrainedProbe probe = new TrainedProbe(fs.name(), fs.column(), target.name(), fit);
        if (target.kind() == ProbeTarget.Kind.REGRESSION) {
            // split-conformal interval: calibrated on the validation residuals, its coverage measured on test
            Scoring.Scored v = Scoring.score(fit.pipeline(), validation, fs.column(), target, fit.labels(), true);
            ConformalInterval interval = ConformalInterval.calibrate(v.truth(), v.predicted(),
                    ConformalInterval.DEFAULT_LEVEL);
            double coverage = interval.coverage(s.truth(), s.predicted());
            probe = probe.withInterval(interval, coverage);
            LOG.info(String.format(Locale.ROOT, "probe %s / %s: %.0f %% interval ±%.4g (%d validation rows), "
                            + "test coverage %.1f %%", fs.name(), target.name(), 100 * interval.level(),
                    interval.halfWidth(), interval.calibrationRows(), 100 * coverage));
        }
        if (modelDir != null) probe.save(modelDir);
        boolean cls = target.kind() == ProbeTarget.Kind.CLASSIFICATION;
        List<Row> predictions = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            predictions.add(RowFactory.create(s.modelIds()[i], s.epochs()[i], target.name(), fs.name(),
                    fit.model(), s.truth()[i], s.predicted()[i], cls ? s.trueLabels()[i] : null,
                    cls ? s.predictedLabels()[i] : null));
        }
        return new Probed(r, probe, predictions);
    }

    /** The task's value; its failure rethrown as it was (BadInputException stays one). */
    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }

    private ProbeFit fit(FeatureSet fs, ProbeTarget target, Dataset<Row> train, Dataset<Row> validation) {
        if (fs.family() == FeatureSet.Family.GBT) {
            return new GbtProbe(config.gbt(), config.seed()).fit(train, validation, fs.column(), target.name(), target.kind());
        }
        return target.kind() == ProbeTarget.Kind.REGRESSION
                ? new RidgeProbe(config.ridgeLambdas()).fit(train, validation, fs.column(), target.name())
                : new SoftmaxProbe(config.logisticRegParams()).fit(train, validation, fs.column(), target.name());
    }

    private static void validate(Dataset<Row> checkpoints, List<FeatureSet> featureSets) {
        List<String> columns = Arrays.asList(checkpoints.columns());
        Set<String> required = new LinkedHashSet<>(List.of("model_id", "epoch", "split"));
        featureSets.forEach(f -> required.add(f.column()));
        for (String c : required) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException("probe input has no column '" + c + "'; columns: "
                        + String.join(", ", columns));
            }
        }
        Set<String> names = new HashSet<>();
        for (FeatureSet f : featureSets) {
            if (!checkpoints.schema().apply(f.column()).dataType().sameType(SQLDataTypes.VectorType())) {
                throw new IllegalArgumentException("feature set " + f.name() + ": column '" + f.column()
                        + "' must be a vector, is " + checkpoints.schema().apply(f.column()).dataType().simpleString());
            }
            if (!names.add(TrainedProbe.dirName(f.name()))) {
                throw new IllegalArgumentException("two feature sets are named " + f.name()
                        + " (after reduction to file-name characters): names must differ");
            }
        }
    }
}
