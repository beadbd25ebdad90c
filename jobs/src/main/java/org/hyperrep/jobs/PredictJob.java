package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.hyperrep.config.BadInputException;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.encoder.Embedder;
import org.hyperrep.encoder.EncoderStore;
import org.hyperrep.features.BaselineFeatures;
import org.hyperrep.features.RawWeights;
import org.hyperrep.probe.ConformalInterval;
import org.hyperrep.probe.ProbeInputs;
import org.hyperrep.probe.TrainedProbe;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code hyperrep predict}: the characteristics of models that are in no zoo, from the encoder and the probes a
 * pipeline run saved. Inputs are DL4J model files (a MultiLayerNetwork of the run's architecture) or checkpoint
 * rows in the zoo's Parquet format.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict test accuracy, epoch, hyper-parameters ... of models from their weights alone, with "
                + "the encoder and probes of a pipeline run (hyperrep run --out URI).")
final class PredictJob implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "URI", description = "a pipeline run (hyperrep run --out)")
    String run;

    @Parameters(arity = "1..*", paramLabel = "WEIGHTS",
            description = "DL4J model files (.zip) or Parquet checkpoint rows (files or directories)")
    List<String> weights;

    @Option(names = "--out", paramLabel = "URI", description = "also write the predictions as Parquet here")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default local[*])")
    String master;

    @Option(names = "--format", paramLabel = "F", defaultValue = "table",
            description = "table (default), csv or json: one row per model with each target's prediction, its 90%% "
                    + "interval (regression) and the true value when the input has it")
    String format;

    @Option(names = "--feature-set", paramLabel = "NAME",
            description = "whose probes to show (default: the run's embedding with its linear probes); "
                    + "--out always gets every probe")
    String featureSet;

    @Spec
    CommandSpec spec;

    static final StructType INPUT = new StructType().add("input", DataTypes.StringType, false)
            .add("model_id", DataTypes.StringType, false).add("epoch", DataTypes.IntegerType, true)
            .add("weights", DataTypes.createArrayType(DataTypes.FloatType, true), false);

    @Override
    public Integer call() throws IOException {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new BadInputException("--format " + format + ": expected table, csv or json");
        }
        Config c = ConfigFiles.load(null, List.of());
        EncoderStore encoder = new EncoderStore(new Path(run, "encoder").toString());
        if (!encoder.isFinished()) throw new BadInputException("no trained encoder in the run " + run + " (" + encoder.root() + ")");
        Path probesDir = new Path(new Path(run, "probe"), ProbeJob.PROBES);
        if (!HadoopFiles.exists(probesDir)) throw new BadInputException("no fitted probes in the run " + run + " (" + probesDir + ")");
        WeightLayout layout = Json.MAPPER.treeToValue(
                Json.MAPPER.readTree(HadoopFiles.readText(encoder.recordPath())).get("layout"), WeightLayout.class);
        SparkSession spark = SparkSessions.create("predict", c, master);
        try {
            List<TrainedProbe> probes = TrainedProbe.loadAll(probesDir.toString());
            Dataset<Row> rows = inputs(spark, layout, probes.stream().map(TrainedProbe::target).distinct().toList());
            long n = rows.count();
            rows = BaselineFeatures.add(rows, "weights", layout);
            var model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(HadoopFiles.readBytes(encoder.modelPath()));
            rows = Embedder.embed(rows, "weights", "embedding", model).drop("weights");
            for (TrainedProbe p : probes) {
                String column = p.featureColumn();
                String embedding = ProbeInputs.isWithStatistics(column)
                        ? column.substring(0, column.length() - ProbeInputs.withStatisticsColumn("").length()) : column;
                if (embedding.startsWith("emb_") && !Arrays.asList(rows.columns()).contains(embedding)) {
                    rows = new RawWeights().setInputCol("embedding").setOutputCol(embedding).transform(rows);
                }
                if (!Arrays.asList(rows.columns()).contains(column)) rows = ProbeInputs.withStatistics(rows, embedding);
            }
            rows = rows.cache();
            String shown = featureSet != null ? featureSet : defaultFeatureSet(probes);
            if (probes.stream().noneMatch(p -> p.featureSet().equals(shown))) {
                throw new BadInputException("--feature-set " + shown + ": the run has probes for "
                        + probes.stream().map(TrainedProbe::featureSet).distinct().toList());
            }
            PredictionTable table = new PredictionTable(shown);
            List<Row> long_ = new ArrayList<>();
            for (TrainedProbe p : probes) {
                Dataset<Row> pred = p.predict(rows.select(col("input"), col("model_id"), col("epoch"),
                        col(p.featureColumn()), col(truthColumn(p.target()))));
                boolean classes = Arrays.asList(pred.columns()).contains("predicted_label");
                ConformalInterval interval = p.interval();
                for (Row r : pred.select(col("input"), col("model_id"), col("epoch"), col("prediction"),
                        classes ? col("predicted_label") : lit(null).cast("string"),
                        col(truthColumn(p.target())).cast("string")).collectAsList()) {
                    Integer epoch = r.isNullAt(2) ? null : r.getInt(2);
                    Double lower = classes || interval == null ? null : interval.lower(r.getDouble(3));
                    Double upper = classes || interval == null ? null : interval.upper(r.getDouble(3));
                    String truth = r.getString(5);
                    if (p.featureSet().equals(shown)) {
                        table.add(r.getString(0), r.getString(1), epoch, p.target(),
                                classes ? r.getString(4) : r.getDouble(3), lower, upper, truth);
                    }
                    long_.add(RowFactory.create(r.getString(0), r.getString(1), epoch, p.target(), p.featureSet(),
                            classes ? null : r.getDouble(3), classes ? r.getString(4) : null, lower, upper, truth));
                }
            }
            java.io.PrintWriter stdout = spec.commandLine().getOut();
            switch (format) {
                case "table" -> stdout.print(table.asText());
                case "csv" -> stdout.print(table.asCsv());
                case "json" -> stdout.println(table.asJson());
                default -> throw new BadInputException("--format " + format + ": expected table, csv or json");
            }
            stdout.flush();
            if (out != null) {
                StructType schema = new StructType().add("input", DataTypes.StringType, false)
                        .add("model_id", DataTypes.StringType, false).add("epoch", DataTypes.IntegerType, true)
                        .add("target", DataTypes.StringType, false).add("feature_set", DataTypes.StringType, false)
                        .add("predicted", DataTypes.DoubleType, true).add("predicted_label", DataTypes.StringType, true)
                        .add("lower", DataTypes.DoubleType, true).add("upper", DataTypes.DoubleType, true)
                        .add("true", DataTypes.StringType, true);
                spark.createDataFrame(long_, schema).coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(out);
            }
            System.err.printf("predicted %d targets for %d input rows (models or checkpoints) with the %s probes of %s (%d probes in the run)%n",
                    table.targets().size(), n, shown, run, probes.size());
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** One row per model: DL4J files are converted to the canonical vector, Parquet rows taken as they are. */
    private Dataset<Row> inputs(SparkSession spark, WeightLayout layout, List<String> targets) throws IOException {
        Architecture arch = Architectures.byName(layout.architecture());
        List<Row> fromModels = new ArrayList<>();
        Dataset<Row> all = null;
        for (String w : weights) {
            Path p = new Path(w);
            if (!HadoopFiles.exists(p)) throw new BadInputException("no such file: " + w);
            if (w.endsWith(".zip")) {
                MultiLayerNetwork net;
                try (InputStream in = HadoopFiles.fs(p).open(p)) {
                    net = ModelSerializer.restoreMultiLayerNetwork(in, false);
                } catch (RuntimeException | IOException e) {
                    throw new BadInputException("cannot read a DL4J MultiLayerNetwork from " + w + ": " + e.getMessage(), e);
                }
                if (net.numParams() != layout.size()) {
                    throw new BadInputException(w + " has " + net.numParams() + " parameters; the run's architecture "
                            + layout.architecture() + " has " + layout.size());
                }
                float[] v = arch.toCanonical(net);
                fromModels.add(RowFactory.create(w, p.getName(), null, toList(v)));
            } else {
                Dataset<Row> d;
                try {
                    d = spark.read().parquet(w);
                } catch (RuntimeException e) {
                    throw new BadInputException("cannot read Parquet checkpoint rows from " + w + ": " + e.getMessage(), e);
                }
                for (String need : List.of("model_id", "weights")) {
                    if (!Arrays.asList(d.columns()).contains(need)) {
                        throw new BadInputException(w + " has no column '" + need + "' (expected the zoo's checkpoint rows)");
                    }
                }
                List<org.apache.spark.sql.Column> cols = new ArrayList<>(List.of(lit(w).as("input"), col("model_id"),
                        (Arrays.asList(d.columns()).contains("epoch") ? col("epoch") : lit(null)).cast("int").as("epoch"),
                        col("weights").cast(DataTypes.createArrayType(DataTypes.FloatType, true)).as("weights")));
                for (String t : targets) {
                    cols.add((Arrays.asList(d.columns()).contains(t) ? col(t) : lit(null)).cast("string").as(truthColumn(t)));
                }
                Dataset<Row> rows = d.select(cols.toArray(org.apache.spark.sql.Column[]::new));
                all = all == null ? rows : all.unionByName(rows);
            }
        }
        Dataset<Row> models = spark.createDataFrame(fromModels, INPUT);
        for (String t : targets) models = models.withColumn(truthColumn(t), lit(null).cast("string"));
        Dataset<Row> rows = all == null ? models : models.unionByName(all);
        long bad = rows.filter(org.apache.spark.sql.functions.size(col("weights")).notEqual(layout.size())).count();
        if (bad > 0) {
            throw new BadInputException(bad + " input rows do not have " + layout.size() + " weights (architecture "
                    + layout.architecture() + ")");
        }
        return rows;
    }

    /** The column holding an input's true value of {@code target} (as text; null when the input lacks it). */
    static String truthColumn(String target) { return "true_" + target; }

    /** The run's embedding read by linear probes: the feature set of a ridge or softmax probe on an embedding column. */
    static String defaultFeatureSet(List<TrainedProbe> probes) {
        return probes.stream()
                .filter(p -> p.featureColumn().startsWith("emb_") && !ProbeInputs.isWithStatistics(p.featureColumn())
                        && !p.model().equals("gbt"))
                .map(TrainedProbe::featureSet).findFirst()
                .orElse(probes.isEmpty() ? "" : probes.get(0).featureSet());
    }

    private static List<Float> toList(float[] v) {
        List<Float> l = new ArrayList<>(v.length);
        for (float f : v) l.add(f);
        return l;
    }

}
