package org.hyperrep.store.smallcnn;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.BadInputException;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Writes a hyperrep zoo of architecture {@code cnn-unterthiner} as a Small CNN Zoo directory: {@code weights.npy}
 * (float32, one row per checkpoint, TensorFlow order with each layer's bias before its kernel, see
 * {@link SmallCnnLayout}), {@code metrics.csv.gz} and {@code layout.csv}. The weights are copied, not computed:
 * export of an import gives back the source's floats bit for bit.
 *
 * <p>A zoo that was imported writes its rows in the source's order with the source's metrics fields as they were
 * read ({@link SmallCnnSource}). Rows of any other zoo are written in (model_id, epoch) order with: the factors of
 * the row under their {@code config.*} names, {@code modeldir} = model_id, {@code step} = epoch,
 * {@code config.dataset} the TFDS name of the data set, {@code config.dnn_architecture} = cnn,
 * {@code config.num_layers} = 3, {@code config.num_units} = 16, {@code config.epochs} the zoo's epochs, and
 * empty fields (NaN for pandas) where hyperrep has no value ({@code config.b_init}, {@code config.init_std},
 * {@code config.epochs_between_checkpoints}).
 *
 * <p>The three files are written under temporary names and renamed at the end; an output directory that already
 * holds any of them is refused, as is a zoo of another architecture, before anything is written.
 */
public final class SmallCnnExport {
    private static final Logger LOG = LoggerFactory.getLogger(SmallCnnExport.class);

    /** What an export wrote. */
    public record Result(long rows, int columns) {
    }

    private final SparkSession spark;

    public SmallCnnExport(SparkSession spark) {
        this.spark = spark;
    }

    public Result run(String zoo, String out) {
        ZooStore store = new ZooStore(zoo);
        ZooManifest m = store.requireManifest();
        if (!m.architecture().equals(SmallCnnImport.ARCHITECTURE)) {
            throw new BadInputException("zoo at " + zoo + " has architecture " + m.architecture()
                    + "; the Small CNN Zoo format holds " + SmallCnnImport.ARCHITECTURE + " models only");
        }
        SmallCnnLayout layout = SmallCnnLayout.published(m.layout());
        Path dir = new Path(out);
        FileSystem fs = HadoopFiles.fs(dir);
        List<String> names = List.of(SmallCnnImport.WEIGHTS, SmallCnnMetrics.FILE, SmallCnnLayout.FILE);
        try {
            if (fs.exists(dir) && !fs.getFileStatus(dir).isDirectory()) {
                throw new BadInputException("output " + dir + " is a file, not a directory");
            }
            for (String n : names) {
                if (fs.exists(new Path(dir, n))) {
                    throw new BadInputException("output " + new Path(dir, n) + " exists: choose another --out");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect " + dir, e);
        }
        List<String> header = SmallCnnSource.readDescription(store).map(SmallCnnSource.Description::metricsHeader)
                .orElse(SmallCnnMetrics.COLUMNS);

        Dataset<Row> rows = store.checkpoints(spark);
        Optional<Dataset<Row>> source = SmallCnnSource.rows(spark, store);
        if (source.isPresent()) {
            rows = rows.join(source.get(), rows.col("model_id").equalTo(source.get().col("model_id"))
                            .and(rows.col("epoch").equalTo(source.get().col("epoch"))), "left_outer")
                    .drop(source.get().col("model_id")).drop(source.get().col("epoch"));
        } else {
            rows = rows.withColumn("source_row", org.apache.spark.sql.functions.lit(null).cast("long"))
                    .withColumn("source_fields", org.apache.spark.sql.functions.lit(null)
                            .cast("array<string>"));
        }
        rows = rows.orderBy(col("source_row").asc_nulls_last(), col("model_id"), col("epoch"));
        long n = rows.count();
        LOG.info("exporting {} checkpoints of zoo {} to {}", n, m.name(), dir);

        String tag = ".tmp-" + Long.toHexString(System.nanoTime());
        List<Path> tmp = new ArrayList<>();
        for (String name : names) tmp.add(new Path(dir, "." + name + tag));
        try {
            fs.mkdirs(dir);
            int size = m.layout().size();
            float[] out0 = new float[size];
            try (FSDataOutputStream wOut = fs.create(tmp.get(0), false);
                 FSDataOutputStream mOut = fs.create(tmp.get(1), false)) {
                NpyFloatMatrixWriter weights = new NpyFloatMatrixWriter(wOut, n, size);
                SmallCnnMetrics.Writer metrics = new SmallCnnMetrics.Writer(mOut, header);
                long written = 0;
                for (Iterator<Row> it = rows.toLocalIterator(); it.hasNext(); ) {
                    Row r = it.next();
                    List<Float> w = r.getList(r.fieldIndex("weights"));
                    float[] canon = new float[size];
                    for (int i = 0; i < size; i++) canon[i] = w.get(i);
                    weights.writeRow(layout.fromCanonical(canon, out0));
                    int f = r.fieldIndex("source_fields");
                    metrics.write(r.isNullAt(f) ? derivedFields(header, r, m) : r.getList(f));
                    if (++written % 50_000 == 0) LOG.info("exported {} of {} rows", written, n);
                }
                weights.close();
                metrics.close();
            }
            try (FSDataOutputStream lOut = fs.create(tmp.get(2), false)) {
                layout.write(lOut);
            }
            for (int i = 0; i < names.size(); i++) HadoopFiles.replace(tmp.get(i), new Path(dir, names.get(i)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        } finally {
            for (Path p : tmp) {
                try {
                    fs.delete(p, false);
                } catch (IOException ignored) {
                    // a leftover temporary file is hidden (dot name) and harmless
                }
            }
        }
        return new Result(n, size(m));
    }

    private static int size(ZooManifest m) { return m.layout().size(); }

    /** metrics.csv.gz fields of a checkpoint row that was not imported (see the class comment). */
    static List<String> derivedFields(List<String> header, Row r, ZooManifest m) {
        List<String> f = new ArrayList<>(header.size());
        for (String c : header) {
            f.add(switch (c) {
                case "config.activation" -> r.getAs("activation");
                case "config.dataset" -> SmallCnnRecord.tfdsDataset(r.getAs("dataset"));
                case "config.dnn_architecture" -> "cnn";
                case "config.dropout" -> SmallCnnRecord.number(r.getAs("dropout"));
                case "config.epochs" -> Integer.toString(m.training().epochs());
                case "config.l2reg" -> SmallCnnRecord.number(r.getAs("weight_decay"));
                case "config.learning_rate" -> SmallCnnRecord.number(r.getAs("learning_rate"));
                case "config.num_layers" -> "3";
                case "config.num_units" -> "16";
                case "config.optimizer" -> r.getAs("optimizer");
                case "config.random_seed" -> Long.toString(r.<Long>getAs("seed"));
                case "config.train_fraction" -> SmallCnnRecord.number(r.getAs("train_fraction"));
                case "config.w_init" -> r.getAs("init");
                case "modeldir" -> r.getAs("model_id");
                case "step" -> Integer.toString(r.<Integer>getAs("epoch"));
                case "test_accuracy" -> SmallCnnRecord.number(r.getAs("test_accuracy"));
                case "test_loss" -> SmallCnnRecord.number(r.getAs("test_loss"));
                case "train_accuracy" -> SmallCnnRecord.number(r.getAs("train_accuracy"));
                case "train_loss" -> SmallCnnRecord.number(r.getAs("train_loss"));
                default -> "";
            });
        }
        return f;
    }
}
