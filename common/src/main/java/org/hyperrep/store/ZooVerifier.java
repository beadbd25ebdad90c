package org.hyperrep.store;

import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.size;

/**
 * {@code hyperrep zoo verify}: checks every committed batch of a zoo and, on request, moves the bad ones out of the
 * way so that the next build retrains exactly their models (docs/zoo-build.md, "Verify and repair").
 * <p>Per batch: it holds Parquet files; every file reads back whole (the file system's checksums are verified where
 * it keeps them, e.g. the {@code .crc} files of a local zoo), begins and ends with Parquet's magic bytes and has
 * the checkpoint schema; every row's weight vector has the layout's length; every model has exactly one row per
 * checkpoint epoch of the manifest; and no model is also in an earlier batch. A bad batch is moved whole to
 * {@code quarantine/} beside {@code checkpoints/}, never deleted: readers no longer see it, and the build, which
 * plans from what {@code checkpoints/} holds, trains its models again.
 */
public final class ZooVerifier {
    /** Where {@link #repair} moves bad batches, under the zoo's root. */
    public static final String QUARANTINE = "quarantine";

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ZooVerifier() {}

    /**
     * What was found in one batch.
     *
     * @param models   the models its rows name (empty when it could not be read)
     * @param problems what is wrong, one line each; empty for a good batch
     */
    public record BatchReport(String batch, int files, long rows, Set<String> models, List<String> problems) {
        public boolean ok() { return problems.isEmpty(); }
    }

    /** The batches of one zoo in commit order, and whether completeness could be checked. */
    public record Report(String zoo, List<BatchReport> batches, boolean completenessChecked) {
        public List<BatchReport> bad() { return batches.stream().filter(b -> !b.ok()).toList(); }
    }

    /**
     * Checks every committed batch of the zoo at {@code store}; reads, never writes. The files are checked batch by
     * batch on the driver; the rows of all batches that pass are then read in one Spark job (batch by batch only
     * when that job fails, to tell which batch holds the undecodable data).
     */
    public static Report verify(SparkSession spark, ZooStore store) {
        ZooManifest manifest = store.requireManifest();
        FileSystem fs = HadoopFiles.fs(store.root());
        // an imported Small CNN Zoo keeps whatever checkpoints its source had: no per-model epoch set to check
        boolean completeness = !HadoopFiles.exists(new Path(store.root(), "small-cnn-zoo.json"));
        Map<String, BatchReport> checked = new LinkedHashMap<>();
        Map<String, List<Path>> readable = new LinkedHashMap<>();
        for (FileStatus batch : batchDirs(fs, store.checkpointsDir())) {
            String name = batch.getPath().getName();
            CheckedFiles files = checkFiles(spark, fs, batch.getPath());
            checked.put(name, files.failed());
            if (files.failed() == null) readable.put(name, files.files());
        }
        Map<String, BatchRows> rows = readRows(spark, readable);
        List<BatchReport> reports = new ArrayList<>();
        Map<String, String> firstBatchOf = new HashMap<>();
        for (Map.Entry<String, BatchReport> e : checked.entrySet()) {
            String name = e.getKey();
            BatchReport r = e.getValue() != null ? e.getValue()
                    : rows.get(name).error() == null
                    ? rowsReport(name, readable.get(name).size(), rows.get(name).rows(), manifest, completeness)
                    : failed(name, readable.get(name).size(), "unreadable Parquet: " + rows.get(name).error());
            List<String> problems = new ArrayList<>(r.problems());
            Map<String, Integer> alsoIn = new TreeMap<>();
            for (String m : r.models()) {
                String earlier = firstBatchOf.putIfAbsent(m, r.batch());
                if (earlier != null) alsoIn.merge(earlier, 1, Integer::sum);
            }
            alsoIn.forEach((earlier, n) -> problems.add("duplicate: " + n + " of its models are also in " + earlier));
            reports.add(new BatchReport(r.batch(), r.files(), r.rows(), r.models(), problems));
        }
        return new Report(store.root().toString(), reports, completeness);
    }

    /**
     * Moves every bad batch of {@code report} to {@code quarantine/} and rewrites the manifest's model and checkpoint
     * counts from the batches that stay. Returns where each batch went.
     */
    public static List<Path> repair(ZooStore store, Report report) {
        FileSystem fs = HadoopFiles.fs(store.root());
        Path quarantine = new Path(store.root(), QUARANTINE);
        List<Path> moved = new ArrayList<>();
        try {
            for (BatchReport b : report.bad()) {
                fs.mkdirs(quarantine);
                Path target = new Path(quarantine, b.batch());
                for (int i = 1; fs.exists(target); i++) target = new Path(quarantine, b.batch() + "." + i);
                Path from = new Path(store.checkpointsDir(), b.batch());
                if (!fs.rename(from, target)) throw new IOException("rename of " + from + " to " + target + " failed");
                moved.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move bad batches of " + store.root() + " to " + quarantine, e);
        }
        if (!moved.isEmpty()) {
            Set<String> models = new TreeSet<>();
            long rows = 0;
            for (BatchReport b : report.batches()) {
                if (b.ok()) {
                    models.addAll(b.models());
                    rows += b.rows();
                }
            }
            ZooManifest m = store.requireManifest();
            store.writeManifest(new ZooManifest(m.format(), m.formatVersion(), m.checkpointSchemaVersion(), m.name(),
                    m.architecture(), m.dataset(), m.training(), m.split(), m.layout(), m.factorValues(),
                    models.size(), rows, m.builds()));
        }
        return moved;
    }

    /** A batch's Parquet files, or (files null) why they failed the checks. */
    private record CheckedFiles(List<Path> files, BatchReport failed) {
        static CheckedFiles failing(BatchReport r) { return new CheckedFiles(null, r); }
    }

    /** A batch's (model_id, epoch, weight count) rows, or (rows null) why they could not be read. */
    private record BatchRows(List<Row> rows, String error) {
    }

    /** The batch's Parquet files when they are whole and have the checkpoint schema, else the failed report. */
    private static CheckedFiles checkFiles(SparkSession spark, FileSystem fs, Path dir) {
        String name = dir.getName();
        List<Path> files = new ArrayList<>();
        try {
            for (FileStatus f : fs.listStatus(dir)) {
                String n = f.getPath().getName();
                if (f.isFile() && !n.startsWith("_") && !n.startsWith(".")) files.add(f.getPath());
            }
        } catch (IOException e) {
            return CheckedFiles.failing(failed(name, 0, "cannot list: " + e.getMessage()));
        }
        if (files.isEmpty()) return CheckedFiles.failing(failed(name, 0, "missing: no Parquet files"));
        files.sort(null);
        for (Path f : files) {
            String wrong = unreadable(f);
            if (wrong != null) return CheckedFiles.failing(failed(name, files.size(), f.getName() + ": " + wrong));
        }
        StructType schema;
        try {
            schema = spark.read().parquet(paths(files)).schema();     // footers only, on the driver
        } catch (Exception e) {   // Spark job failures are (undeclared) SparkExceptions
            return CheckedFiles.failing(failed(name, files.size(), "unreadable Parquet: " + firstLine(e)));
        }
        String schemaProblem = schemaProblem(schema);
        return schemaProblem != null ? CheckedFiles.failing(failed(name, files.size(), "schema: " + schemaProblem))
                : new CheckedFiles(files, null);
    }

    /** (model_id, epoch, weight count) rows per batch: one Spark job, or one per batch when that one fails. */
    private static Map<String, BatchRows> readRows(SparkSession spark, Map<String, List<Path>> batches) {
        Map<String, BatchRows> out = new HashMap<>();
        if (batches.isEmpty()) return out;
        List<Path> all = batches.values().stream().flatMap(List::stream).toList();
        try {
            Map<String, List<Row>> byBatch = new HashMap<>();
            for (Row r : select(spark, all).withColumn("file", input_file_name()).collectAsList()) {
                byBatch.computeIfAbsent(new Path(r.getString(3)).getParent().getName(), k -> new ArrayList<>()).add(r);
            }
            batches.keySet().forEach(b -> out.put(b, new BatchRows(byBatch.getOrDefault(b, List.of()), null)));
            return out;
        } catch (Exception e) {   // Spark job failures are (undeclared) SparkExceptions
            // some file holds undecodable data: read batch by batch to tell which
        }
        batches.forEach((batch, files) -> {
            try {
                out.put(batch, new BatchRows(select(spark, files).collectAsList(), null));
            } catch (Exception e) {   // Spark job failures are (undeclared) SparkExceptions
                out.put(batch, new BatchRows(null, firstLine(e)));
            }
        });
        return out;
    }

    private static Dataset<Row> select(SparkSession spark, List<Path> files) {
        return spark.read().parquet(paths(files)).select(col("model_id"), col("epoch"), size(col("weights")));
    }

    private static String[] paths(List<Path> files) {
        return files.stream().map(Path::toString).toArray(String[]::new);
    }

    private static BatchReport rowsReport(String name, int files, List<Row> rows, ZooManifest manifest,
                                          boolean completeness) {
        List<String> problems = new ArrayList<>();
        int weights = manifest.layout().size();
        Map<String, List<Integer>> epochs = new LinkedHashMap<>();
        long wrongLength = 0;
        for (Row r : rows) {
            epochs.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getInt(1));
            if (r.getInt(2) != weights) wrongLength++;
        }
        if (wrongLength > 0) {
            problems.add("weights: " + wrongLength + " rows without the layout's " + weights + " values");
        }
        List<Integer> expected = manifest.training().checkpointEpochs();
        List<String> duplicated = new ArrayList<>(), incomplete = new ArrayList<>();
        epochs.forEach((model, got) -> {
            List<Integer> sorted = got.stream().sorted().toList();
            if (sorted.stream().distinct().count() < sorted.size()) duplicated.add(model);
            else if (completeness && !sorted.equals(expected)) incomplete.add(model + " has epochs " + sorted);
        });
        if (!duplicated.isEmpty()) {
            problems.add("duplicate rows: " + duplicated.size() + " models with an epoch twice (" + first(duplicated) + ")");
        }
        if (!incomplete.isEmpty()) {
            problems.add("incomplete: " + incomplete.size() + " models without exactly the epochs " + expected + " ("
                    + first(incomplete) + ")");
        }
        return new BatchReport(name, files, rows.size(), new TreeSet<>(epochs.keySet()), problems);
    }

    /** Why {@code f} is not a whole Parquet file, or null: read end to end (checksums verified), magic bytes. */
    private static String unreadable(Path f) {
        byte[] head = new byte[4], tail = new byte[4];
        long length = 0;
        byte[] buffer = new byte[1 << 16];
        // the file system as Hadoop configures it: for local paths the checksummed one, unlike HadoopFiles.fs
        try (FSDataInputStream in = f.getFileSystem(HadoopFiles.conf()).open(f)) {
            for (int n; (n = in.read(buffer)) > 0; length += n) {
                if (length < 4) System.arraycopy(buffer, 0, head, 0, (int) Math.min(4, n));
                // the last 4 bytes read so far
                if (n >= 4) {
                    System.arraycopy(buffer, n - 4, tail, 0, 4);
                } else {
                    System.arraycopy(tail, n, tail, 0, 4 - n);
                    System.arraycopy(buffer, 0, tail, 4 - n, n);
                }
            }
        } catch (ChecksumException e) {
            return "corrupt: checksum mismatch at byte " + e.getPos();
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        if (length < 12) return "truncated: " + length + " bytes";
        if (!Arrays.equals(head, MAGIC)) return "not a Parquet file (no PAR1 at its start)";
        if (!Arrays.equals(tail, MAGIC)) return "truncated or corrupt: no PAR1 at its end (" + length + " bytes)";
        return null;
    }

    /** The first column of the checkpoint schema this file lacks or holds with another type, or null. */
    private static String schemaProblem(StructType got) {
        for (StructField want : CheckpointSchema.SCHEMA.fields()) {
            if (!Arrays.asList(got.fieldNames()).contains(want.name())) return "column " + want.name() + " is missing";
            StructField has = got.apply(want.name());
            if (!typeMatches(has.dataType(), want.dataType())) {
                return "column " + want.name() + " is " + has.dataType().simpleString() + ", expected "
                        + want.dataType().simpleString();
            }
        }
        return null;
    }

    /** Equal types, ignoring whether array elements may be null (Parquet does not keep that flag exactly). */
    private static boolean typeMatches(org.apache.spark.sql.types.DataType a, org.apache.spark.sql.types.DataType b) {
        if (a instanceof org.apache.spark.sql.types.ArrayType x && b instanceof org.apache.spark.sql.types.ArrayType y) {
            return x.elementType().equals(y.elementType());
        }
        return a.equals(b);
    }

    private static BatchReport failed(String batch, int files, String problem) {
        return new BatchReport(batch, files, 0, Set.of(), List.of(problem));
    }

    private static List<FileStatus> batchDirs(FileSystem fs, Path checkpoints) {
        try {
            if (!fs.exists(checkpoints)) return List.of();
            List<FileStatus> dirs = new ArrayList<>();
            for (FileStatus s : fs.listStatus(checkpoints)) {
                if (s.isDirectory() && s.getPath().getName().startsWith("batch-")) dirs.add(s);
            }
            dirs.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
            return dirs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + checkpoints, e);
        }
    }

    private static String first(List<String> items) {
        return items.size() == 1 ? items.get(0) : items.get(0) + ", ...";
    }

    /** The first line of the deepest cause that has a message (its class name when none has). */
    private static String firstLine(Throwable e) {
        String m = null;
        Throwable last = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            last = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) m = t.getMessage();
        }
        if (m == null) return last.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
