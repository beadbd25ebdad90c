package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.config.BadInputException;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.encoder.Embedder;
import org.hyperrep.encoder.EncoderStore;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;
import org.hyperrep.store.Provenance;
import org.hyperrep.store.ZooManifest;
import org.hyperrep.store.ZooStore;
import org.hyperrep.weights.WeightLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;

/** {@code hyperrep embed}: the embedding of every checkpoint of a zoo. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed the unaugmented weights of every checkpoint (status ok) of a zoo with a trained encoder; "
                + "writes Parquet rows (model_id, epoch, split, embedding).")
final class EmbedJob implements Callable<Integer> {
    @Option(names = "--zoo", required = true, paramLabel = "URI", description = "zoo location")
    String zoo;

    @Option(names = "--encoder", required = true, paramLabel = "URI", description = "trained encoder location")
    String encoder;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "embeddings location")
    String out;

    @Option(names = "--master", paramLabel = "M", description = "Spark master (default local[*])")
    String master;

    @Option(names = "--replace", description = "replace embeddings of another encoder or zoo at --out")
    boolean replace;

    @Override
    public Integer call() {
        Config c = ConfigFiles.load(null, List.of());
        ZooStore zooStore = new ZooStore(zoo);
        zooStore.requireManifest();
        EncoderStore enc = new EncoderStore(encoder);
        if (!enc.isFinished()) throw new BadInputException("no trained encoder at " + encoder);
        checkLayout(enc, zooStore.requireManifest());
        byte[] modelBytes = HadoopFiles.readBytes(enc.modelPath());
        try {
            EncoderStore.readGraph(modelBytes, enc.modelPath());   // a damaged model file fails here, with its name
        } catch (BadInputException e) {
            throw new BadInputException(e.getMessage() + "; train the encoder again (hyperrep train --out " + encoder
                    + ")", e);
        }
        Path target = new Path(out);
        Object encoderFingerprint = enc.readRecord().get("fingerprint");
        String fingerprint = Fingerprints.of("embed|" + encoderFingerprint, zooStore.requireManifest());
        Path record = new Path(target, "_provenance.json");
        if (HadoopFiles.exists(new Path(target, "_SUCCESS"))) {
            if (HadoopFiles.exists(record) && fingerprint.equals(runIdOf(record))) {
                System.out.println("embeddings at " + out + " are current for this encoder and zoo: nothing to do");
                return 0;
            }
            if (!replace) {
                throw new BadInputException("embeddings of another encoder or zoo exist at " + out
                        + ": choose another --out or pass --replace");
            }
        }
        SparkSession spark = SparkSessions.create("embed", c, master);
        try {
            Provenance prov = Provenance.start("embed", fingerprint, c.withOnlyPath("spark").root().unwrapped(),
                    List.of("embed", "--zoo", zoo, "--encoder", encoder, "--out", out));
            prov.input("zoo", zoo).input("encoder", Map.of("uri", encoder, "fingerprint", String.valueOf(encoderFingerprint)));
            Broadcast<byte[]> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(modelBytes);
            Dataset<Row> ckpt = zooStore.checkpoints(spark).filter(col("status").equalTo("ok"));
            Path staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + System.nanoTime());
            Embedder.embed(ckpt.select("model_id", "epoch", "split", "weights"), "weights", "embedding", model)
                    .drop("weights").write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
            HadoopFiles.fs(target).delete(target, true);
            if (!HadoopFiles.fs(target).rename(staging, target)) throw new IOException("cannot rename " + staging);
            long rows = spark.read().parquet(out).count();
            prov.count("rows", rows);
            // '_' keeps the record out of Parquet readers' way (Spark and DuckDB globs skip it)
            prov.finishAndWrite(record);
            System.out.printf("embedded %d checkpoints into %s%n", rows, out);
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            spark.stop();
        }
    }

    /** Refuses an encoder trained on a zoo of another weight layout (architecture). */
    static void checkLayout(EncoderStore enc, ZooManifest zoo) {
        Object recorded = enc.readRecord().get("layout");
        if (recorded == null) return;
        WeightLayout trained = Json.MAPPER.convertValue(recorded, WeightLayout.class);
        if (!trained.equals(zoo.layout())) {
            throw new BadInputException("encoder at " + enc.root() + " was trained on " + trained.architecture() + " ("
                    + trained.size() + " weights), but zoo " + zoo.name() + " holds " + zoo.layout().architecture()
                    + " (" + zoo.layout().size() + " weights): use an encoder trained on a zoo of this architecture");
        }
    }

    /** The fingerprint an earlier embed recorded (its provenance run id). */
    static String runIdOf(Path provenance) {
        try {
            return Json.MAPPER.readTree(HadoopFiles.readText(provenance)).path("run_id").asText();
        } catch (IOException e) {
            throw new BadInputException("cannot read " + provenance + ": " + e.getMessage(), e);
        }
    }

}
