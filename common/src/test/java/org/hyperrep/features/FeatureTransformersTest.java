package org.hyperrep.features;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hyperrep.LocalSpark;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.arch.Architectures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feature stages on real Spark: columns, types, metadata, persistence and input validation. */
class FeatureTransformersTest {
    static SparkSession spark;

    @BeforeAll
    static void start() { spark = LocalSpark.start("features-test"); }

    @AfterAll
    static void stop() { spark.stop(); }

    @TempDir
    Path dir;

    private static final StructType SCHEMA = new StructType()
            .add("model_id", DataTypes.StringType, false)
            .add("weights", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private static Dataset<Row> frame(List<float[]> vectors) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            List<Float> w = new ArrayList<>();
            for (float f : vectors.get(i)) w.add(f);
            rows.add(RowFactory.create("m" + i, w));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void rawWeightsIsTheWeightVectorAsAnMlVector() throws Exception {
        Dataset<Row> out = new RawWeights().transform(frame(List.of(OrderStatisticsTest.TINY)));
        assertEquals(List.of("model_id", "weights", "W"), Arrays.asList(out.columns()));
        assertArrayEquals(doubles(OrderStatisticsTest.TINY), ((Vector) out.first().getAs("W")).toArray());

        String path = dir.resolve("raw").toString();
        new RawWeights().setOutputCol("raw").write().save(path);
        RawWeights loaded = RawWeights.load(path);
        assertEquals("raw", loaded.getOutputCol());
        assertArrayEquals(doubles(OrderStatisticsTest.TINY),
                ((Vector) loaded.transform(frame(List.of(OrderStatisticsTest.TINY))).first().getAs("raw")).toArray());
    }

    @Test
    void statisticsStagesMatchTheHandValuesOnArraysAndVectors() {
        Dataset<Row> in = new RawWeights().transform(frame(List.of(OrderStatisticsTest.TINY)));
        WeightLayout layout = OrderStatisticsTest.tinyLayout();
        Row r = new TensorStatistics().setLayout(layout).transform(
                new WeightStatistics().setLayout(layout).transform(in)).first();
        double[] w = doubles(OrderStatisticsTest.TINY);
        assertArrayEquals(new WeightStatistics().setLayout(layout).compute(w), ((Vector) r.getAs("sW")).toArray(), 0);
        assertArrayEquals(new TensorStatistics().setLayout(layout).compute(w),
                ((Vector) r.getAs("tensorStats")).toArray(), 0);
        // the same from W (a Vector column) instead of the zoo's array<float>
        Row fromW = new WeightStatistics().setLayout(layout).setInputCol("W").setOutputCol("sW2").transform(in).first();
        assertArrayEquals(((Vector) r.getAs("sW")).toArray(), ((Vector) fromW.getAs("sW2")).toArray(), 0);
    }

    @Test
    void outputColumnsNameEveryFeature() {
        Dataset<Row> out = new TensorStatistics().setLayout(OrderStatisticsTest.tinyLayout())
                .transform(frame(List.of(OrderStatisticsTest.TINY)));
        AttributeGroup g = AttributeGroup.fromStructField(out.schema().apply("tensorStats"));
        assertEquals(21, g.size());
        assertEquals("dense1.kernel.min", g.getAttr(0).name().get());
        assertEquals("dense1.bias.q25", g.getAttr(8).name().get());
        assertEquals("dense2.kernel.mean", g.getAttr(20).name().get());
    }

    /** A straightforward reference: per layer, sort a copy and apply numpy's linear percentile formula. */
    private static double[] referenceSw(double[] w, WeightLayout layout) {
        List<Double> out = new ArrayList<>();
        for (LayerLayout l : layout.layers()) {
            double[] x = Arrays.copyOfRange(w, l.offset(), l.offset() + l.weightCount());
            double mean = Arrays.stream(x).average().orElseThrow();
            double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / x.length;
            Arrays.sort(x);
            out.add(mean);
            out.add(var);
            for (double q : new double[] {1, 25, 50, 75, 99}) {
                double h = (x.length - 1) * q / 100;
                int lo = (int) h;
                out.add(lo + 1 < x.length ? x[lo] * (1 - (h - lo)) + x[lo + 1] * (h - lo) : x[lo]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void cnnLayoutAgainstAReferenceAndThroughSaveAndLoad() throws Exception {
        WeightLayout layout = Architectures.byName("cnn-s").layout();
        Random rnd = new Random(7);
        List<float[]> vectors = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            float[] v = new float[layout.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * (1 + m));
            vectors.add(v);
        }
        Dataset<Row> in = frame(vectors);
        WeightStatistics sw = new WeightStatistics().setLayout(layout);
        TensorStatistics ts = new TensorStatistics().setLayout(layout).setOutputCol("ts");
        String swPath = dir.resolve("sw").toString(), tsPath = dir.resolve("ts").toString();
        sw.write().save(swPath);
        ts.write().save(tsPath);
        WeightStatistics swLoaded = WeightStatistics.load(swPath);
        TensorStatistics tsLoaded = TensorStatistics.load(tsPath);
        assertEquals(layout, swLoaded.getLayout());
        assertEquals("ts", tsLoaded.getOutputCol());

        List<Row> fresh = ts.transform(sw.transform(in)).orderBy("model_id").collectAsList();
        List<Row> again = tsLoaded.transform(swLoaded.transform(in)).orderBy("model_id").collectAsList();
        for (int m = 0; m < vectors.size(); m++) {
            double[] sW = ((Vector) fresh.get(m).getAs("sW")).toArray();
            assertEquals(7 * 5, sW.length, "cnn-s has 5 layers");
            assertArrayEquals(referenceSw(doubles(vectors.get(m)), layout), sW, 1e-9);
            assertEquals(7 * 10, ((Vector) fresh.get(m).getAs("ts")).size(), "cnn-s: 5 kernels and 5 biases");
            assertArrayEquals(sW, ((Vector) again.get(m).getAs("sW")).toArray(), 0);
            assertArrayEquals(((Vector) fresh.get(m).getAs("ts")).toArray(),
                    ((Vector) again.get(m).getAs("ts")).toArray(), 0);
        }
    }

    @Test
    void stagesSaveAndLoadInsideASparkPipeline() throws Exception {
        // Pipeline persistence finds each stage's reader through its static read(): what a Spark user relies on
        WeightLayout layout = OrderStatisticsTest.tinyLayout();
        Dataset<Row> in = frame(List.of(OrderStatisticsTest.TINY));
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {new RawWeights(),
                new WeightStatistics().setLayout(layout).setInputCol("W"), new TensorStatistics().setLayout(layout)})
                .fit(in);
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        Row r = PipelineModel.load(path).transform(in).first();
        double[] w = doubles(OrderStatisticsTest.TINY);
        assertArrayEquals(w, ((Vector) r.getAs("W")).toArray(), 0);
        assertArrayEquals(new WeightStatistics().setLayout(layout).compute(w), ((Vector) r.getAs("sW")).toArray(), 0);
        assertArrayEquals(new TensorStatistics().setLayout(layout).compute(w),
                ((Vector) r.getAs("tensorStats")).toArray(), 0);
    }

    @Test
    void badInputsAreRefusedNamingTheColumn() {
        Dataset<Row> in = frame(List.of(OrderStatisticsTest.TINY));
        WeightLayout layout = OrderStatisticsTest.tinyLayout();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightStatistics().setLayout(layout).setInputCol("params").transform(in));
        assertTrue(e.getMessage().contains("'params'") && e.getMessage().contains("weights"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TensorStatistics().setLayout(layout).setInputCol("model_id").transform(in));
        assertTrue(e.getMessage().contains("'model_id'") && e.getMessage().contains("string"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WeightStatistics().transform(in));
        assertTrue(e.getMessage().contains("layout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RawWeights().setOutputCol("model_id").transform(in));
        assertTrue(e.getMessage().contains("'model_id' already exists"), e.getMessage());
        // a zoo of another architecture: caught when the rows are computed
        Exception run = assertThrows(Exception.class, () -> new WeightStatistics()
                .setLayout(Architectures.byName("tetris-mlp").layout()).transform(in).collect());
        assertTrue(rootMessage(run).contains("does not fit"), rootMessage(run));
    }

    private static String rootMessage(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c.getMessage()).append(" | ");
        return b.toString();
    }
}
