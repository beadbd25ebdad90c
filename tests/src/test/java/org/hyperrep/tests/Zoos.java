package org.hyperrep.tests;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.hyperrep.store.ZooStore;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading what a zoo build wrote, for assertions. */
final class Zoos {
    private Zoos() {}

    static String config(String name) {
        try {
            return new File(Zoos.class.getResource("/zoos/" + name).toURI()).getPath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static SparkSession spark() {
        return SparkSession.builder().master("local[2]").appName("hyperrep-tests")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    static Dataset<Row> rows(String zoo) {
        return new ZooStore(zoo).checkpoints(spark());
    }

    /** Committed batch directories. */
    static List<String> batches(Path zoo) throws Exception {
        Path dir = zoo.resolve("checkpoints");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("batch-")).sorted().toList();
        }
    }

    /**
     * Asserts the zoo holds complete models only, each exactly once: every model has exactly
     * {@code checkpointsPerModel} rows, no (model, epoch) appears twice. Returns rows per model.
     */
    static Map<String, Long> assertCompleteModels(String zoo, int checkpointsPerModel) {
        Dataset<Row> rows = rows(zoo);
        long total = rows.count();
        long distinct = rows.select("model_id", "epoch").distinct().count();
        assertEquals(total, distinct, "no (model, epoch) row is duplicated");
        Map<String, Long> perModel = new HashMap<>();
        for (Row r : rows.groupBy("model_id").count().collectAsList()) perModel.put(r.getString(0), r.getLong(1));
        perModel.forEach((m, n) -> assertEquals(checkpointsPerModel, n, "rows of model " + m));
        return perModel;
    }
}
