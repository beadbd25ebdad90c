package org.hyperrep.store.smallcnn;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.SplitSpec;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import of files written in the published Small CNN Zoo layout ({@link SmallCnnZooFiles}), then export and a
 * second import: positions of known weights, factors, epochs, the diverged row, and files that come back equal.
 */
class SmallCnnZooImportExportTest {
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[1]").appName("small-cnn-zoo-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static SmallCnnImport importer(int modelsPerCommit) {
        return new SmallCnnImport(spark, new SmallCnnImport.Options("fmnist-zoo", new SplitSpec(0.7, 0.15, 0.15, 42),
                modelsPerCommit));
    }

    /** Checkpoint rows by source row, identified by (modeldir order, epoch). */
    private static Map<String, Row> rowsByKey(String zoo) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : new ZooStore(zoo).checkpoints(spark).collectAsList()) {
            m.put(r.<String>getAs("model_id") + "/" + r.<Integer>getAs("epoch"), r);
        }
        return m;
    }

    private static float[] weights(Row r) {
        List<Float> w = r.getList(r.fieldIndex("weights"));
        float[] a = new float[w.size()];
        for (int i = 0; i < a.length; i++) a[i] = w.get(i);
        return a;
    }

    @Test
    void importPutsEveryWeightInItsCanonicalPlaceAndExportGivesTheFilesBack() throws IOException {
        Path src = tmp.resolve("src");
        SmallCnnZooFiles.write(src);
        String zoo = tmp.resolve("zoo").toString();
        SmallCnnImport.Result res = importer(1).run(src.toString(), zoo, Map.of(), List.of("test"));
        assertEquals(2, res.models());
        assertEquals(6, res.rows());
        assertEquals(1, res.divergedRows());

        ZooManifest m = new ZooStore(zoo).requireManifest();
        assertEquals("cnn-unterthiner", m.architecture());
        assertEquals("fashion-mnist", m.dataset().name());
        assertEquals(List.of(0, 1, 86), m.training().checkpointEpochs());
        assertEquals(86, m.training().epochs());
        assertEquals(4970, m.layout().size());
        assertEquals(List.of("RandomNormal", "he_normal"), m.factorValues().get("init"));

        List<Row> rows = new ZooStore(zoo).checkpoints(spark).collectAsList();
        assertEquals(6, rows.size(), "the source side table in each batch is not read as checkpoints");
        // source row of each checkpoint: model A = /tmp/zoo/4/1/ rows 0..2, model B rows 3..5
        String modelA = null;
        for (Row r : rows) if (r.<String>getAs("activation").equals("relu")) modelA = r.getAs("model_id");
        for (Row r : rows) {
            boolean a = r.<String>getAs("model_id").equals(modelA);
            int epoch = r.getAs("epoch");
            int sourceRow = (a ? 0 : 3) + (epoch == 0 ? 0 : epoch == 1 ? 1 : 2);
            float base = SmallCnnZooFiles.value(sourceRow, 0);
            float[] w = weights(r);
            assertEquals(4970, w.length);
            // conv1 kernel TF (kh=2, kw=0, c_in=0, c_out=15) = column 16 + 96 + 15 -> canonical [15, 0, 2, 0]
            assertEquals(base + 127, w[((15 * 1 + 0) * 3 + 2) * 3], "conv1 kernel");
            assertEquals(base + 0, w[144], "conv1 bias[0] after its 144 weights");
            // conv2 kernel TF (kh=1, kw=2, c_in=3, c_out=4): column 176 + ((1*3+2)*16+3)*16+4 = 1508
            // -> canonical conv2 offset 160 + [out=4, in=3, kh=1, kw=2] = 160 + ((4*16+3)*3+1)*3+2 = 768
            assertEquals(base + 1508, w[768], "conv2 kernel");
            assertEquals(base + 165, w[160 + 2304 + 5], "conv2 bias[5]");
            // dense kernel TF (in=7, out=2): column 4810 + 7*10 + 2 -> canonical [out=2, in=7] at 4800 + 2*16 + 7
            assertEquals(base + 4882, w[4839], "dense kernel");
            assertEquals(base + 4809, w[4969], "dense bias[9] is the last parameter");
            assertEquals("42", Long.toString(r.<Long>getAs("seed")));
            assertTrue(Double.isNaN(r.<Double>getAs("validation_accuracy")), "no validation metrics in the source");
            if (a) {
                assertEquals("he_normal", r.getAs("init"));
                assertEquals("adam", r.getAs("optimizer"));
                assertEquals(0.0042, r.<Double>getAs("learning_rate"));
                assertEquals(0.0015, r.<Double>getAs("weight_decay"), "weight_decay = config.l2reg");
                assertEquals(0.05, r.<Double>getAs("dropout"));
                assertEquals(0.5, r.<Double>getAs("train_fraction"));
                assertEquals("ok", r.getAs("status"));
                if (epoch == 86) {
                    assertEquals(0.8405, r.<Double>getAs("test_accuracy"));
                    assertEquals(0.3598, r.<Double>getAs("train_loss"));
                    assertEquals(0.8712 - 0.8405, r.<Double>getAs("generalization_gap"), 1e-15);
                }
            } else {
                assertEquals("RandomNormal", r.getAs("init"));
                assertEquals(1e-6, r.<Double>getAs("weight_decay"));
                assertEquals(epoch == 86 ? "diverged" : "ok", r.getAs("status"), "epoch " + epoch);
                if (epoch == 86) {
                    assertTrue(Float.isNaN(w[m.layout().layer("conv2").offset()
                            + canonicalOf16x16Kernel(1000 - 176)]), "the NaN of column 1000 (conv2 kernel)");
                    assertTrue(Double.isNaN(r.<Double>getAs("test_accuracy")), "diverged rows carry NaN metrics");
                }
            }
        }

        // export: the same three files
        Path out = tmp.resolve("out");
        SmallCnnExport.Result ex = new SmallCnnExport(spark).run(zoo, out.toString());
        assertEquals(6, ex.rows());
        assertArrayEquals(SmallCnnZooFiles.npyData(src.resolve("weights.npy")),
                SmallCnnZooFiles.npyData(out.resolve("weights.npy")), "weights bit for bit, in source row order");
        assertTrue(SmallCnnZooFiles.npyHeader(out.resolve("weights.npy"))
                .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4970), }"));
        assertEquals(0, (10 + SmallCnnZooFiles.npyHeader(out.resolve("weights.npy")).length()) % 64);
        assertEquals(gunzip(src.resolve("metrics.csv.gz")), gunzip(out.resolve("metrics.csv.gz")));
        assertEquals(SmallCnnZooFiles.LAYOUT, Files.readString(out.resolve("layout.csv")));

        // export -> import: the same checkpoint rows
        String zoo2 = tmp.resolve("zoo2").toString();
        importer(10).run(out.toString(), zoo2, Map.of(), List.of("test"));
        Map<String, Row> first = rowsByKey(zoo), second = rowsByKey(zoo2);
        assertEquals(first.keySet(), second.keySet(), "same model ids (same name, same modeldirs)");
        for (String k : first.keySet()) {
            Row a = first.get(k), b = second.get(k);
            for (String c : List.of("split", "seed", "activation", "init", "optimizer", "learning_rate",
                    "weight_decay", "dropout", "train_fraction", "status", "train_accuracy", "test_loss")) {
                assertEquals(String.valueOf(a.<Object>getAs(c)), String.valueOf(b.<Object>getAs(c)), k + " " + c);
            }
            float[] wa = weights(a), wb = weights(b);
            for (int i = 0; i < wa.length; i++) {
                assertEquals(Float.floatToRawIntBits(wa[i]), Float.floatToRawIntBits(wb[i]), k + " weight " + i);
            }
        }
    }

    /** Canonical index inside conv2 or conv3 of TF kernel element {@code tf} (kh, kw, c_in, c_out = 3, 3, 16, 16). */
    private static int canonicalOf16x16Kernel(int tf) {
        int o = tf % 16, c = (tf / 16) % 16, x = (tf / 256) % 3, y = tf / 768;
        return ((o * 16 + c) * 3 + y) * 3 + x;
    }

    @Test
    void rerunImportsNothingTwice() throws IOException {
        Path src = tmp.resolve("src");
        SmallCnnZooFiles.write(src);
        String zoo = tmp.resolve("zoo").toString();
        importer(1).run(src.toString(), zoo, Map.of(), List.of("test"));
        SmallCnnImport.Result again = importer(1).run(src.toString(), zoo, Map.of(), List.of("test"));
        assertEquals(2, again.alreadyPresent());
        assertEquals(0, again.rows());
        assertEquals(6, new ZooStore(zoo).checkpoints(spark).count());
    }

    @Test
    void rowCountMismatchIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path src = tmp.resolve("src");
        SmallCnnZooFiles.write(src);
        SmallCnnZooFiles.writeMetrics(src, SmallCnnZooFiles.METRICS_ROWS.subList(0, 5));
        assertRefused(src, "weights.npy has 6 rows", "metrics.csv.gz has 5");
    }

    @Test
    void unknownVarnameIsRefused() throws IOException {
        Path src = tmp.resolve("src");
        SmallCnnZooFiles.write(src);
        Files.writeString(src.resolve("layout.csv"), SmallCnnZooFiles.LAYOUT.replace("sequential/dense/bias:0",
                "sequential/dense_7/bias:0"));
        assertRefused(src, "layout.csv", "sequential/dense");
    }

    @Test
    void missingFileIsRefused() throws IOException {
        Path src = tmp.resolve("src");
        SmallCnnZooFiles.write(src);
        Files.delete(src.resolve("metrics.csv.gz"));
        assertRefused(src, "missing file", "metrics.csv.gz");
    }

    @Test
    void wrongColumnCountNamesTheRow() throws IOException {
        Path src = tmp.resolve("src");
        SmallCnnZooFiles.write(src);
        List<String> rows = new ArrayList<>(SmallCnnZooFiles.METRICS_ROWS);
        rows.set(2, rows.get(2) + ",extra");
        SmallCnnZooFiles.writeMetrics(src, rows);
        assertRefused(src, "metrics.csv.gz row 2", "23 columns");
    }

    @Test
    void float64AndVersion2Headers() throws IOException {
        Path src = tmp.resolve("src");
        SmallCnnZooFiles.write(src);
        float[][] rows = new float[6][4970];
        SmallCnnZooFiles.writeNpy(src.resolve("weights.npy"), rows, "<f8", 1);
        assertRefused(src, "weights.npy", "'<f8'");
        SmallCnnZooFiles.writeNpy(src.resolve("weights.npy"), rows, "<f4", 2);
        try (NpyFloatMatrix npy = NpyFloatMatrix.open(new org.apache.hadoop.fs.Path(src.resolve("weights.npy")
                .toString()))) {
            assertEquals(6, npy.rows());
            assertEquals(4970, npy.cols());
        }
    }

    private void assertRefused(Path src, String... mentioned) {
        Path zoo = tmp.resolve("zoo");
        SmallCnnFormatException e = assertThrows(SmallCnnFormatException.class,
                () -> importer(1).run(src.toString(), zoo.toString(), Map.of(), List.of("test")));
        for (String s : mentioned) assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
        assertFalse(Files.exists(zoo), "nothing written");
    }

    private static String gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
