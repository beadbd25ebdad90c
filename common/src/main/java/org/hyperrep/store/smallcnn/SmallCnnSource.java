package org.hyperrep.store.smallcnn;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;
import org.hyperrep.store.ZooStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * What an imported zoo keeps of its Small CNN Zoo source beyond the checkpoint rows, so that an export writes the
 * source back exactly: the checkpoint schema has no column for {@code modeldir}, {@code config.init_std},
 * {@code config.b_init} and the other flags, nor for the source's row order, and diverged rows carry NaN metrics
 * in hyperrep while the source recorded numbers. The checkpoint schema is left unchanged; instead:
 * <pre>
 * small-cnn-zoo.json                               {@link Description}: the metrics header, where it came from
 * checkpoints/batch-RUN-NNNNN/_small-cnn-zoo/      Parquet (model_id, epoch, source_row, source_fields)
 * </pre>
 * The per-row table sits inside each committed batch, so it is published by the same rename as its checkpoints;
 * Spark's file listing skips names starting with '_', so readers of the checkpoints never see it.
 */
public final class SmallCnnSource {
    public static final String DESCRIPTION = "small-cnn-zoo.json";
    public static final String BATCH_SUBDIR = "_small-cnn-zoo";
    public static final StructType SCHEMA = new StructType()
            .add("model_id", DataTypes.StringType, false)
            .add("epoch", DataTypes.IntegerType, false)
            .add("source_row", DataTypes.LongType, false)
            .add("source_fields", DataTypes.createArrayType(DataTypes.StringType, false), false);

    /** {@code small-cnn-zoo.json}. */
    public record Description(String format, List<String> metricsHeader, String importedFrom) {
    }

    private SmallCnnSource() {}

    static Path descriptionPath(ZooStore store) { return new Path(store.root(), DESCRIPTION); }

    static Optional<Description> readDescription(ZooStore store) {
        Path p = descriptionPath(store);
        if (!HadoopFiles.exists(p)) return Optional.empty();
        try {
            return Optional.of(Json.MAPPER.readValue(HadoopFiles.readText(p), Description.class));
        } catch (JsonProcessingException e) {
            throw new SmallCnnFormatException(p + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    static void writeDescription(ZooStore store, Description d) {
        try {
            HadoopFiles.writeTextAtomically(descriptionPath(store), Json.MAPPER.writeValueAsString(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The source rows of every committed batch, or empty when the zoo was not imported. */
    static Optional<Dataset<Row>> rows(SparkSession spark, ZooStore store) {
        Path glob = new Path(store.checkpointsDir(), "batch-*/" + BATCH_SUBDIR);
        try {
            var found = HadoopFiles.fs(glob).globStatus(glob);
            if (found == null || found.length == 0) return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + glob, e);
        }
        return Optional.of(spark.read().schema(SCHEMA).parquet(glob.toString()));
    }
}
