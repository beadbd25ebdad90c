package org.hyperrep.store.smallcnn;

import org.apache.hadoop.fs.Path;
import org.hyperrep.store.HadoopFiles;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code metrics.csv.gz} of the Small CNN Zoo: a gzip-compressed CSV with a header, one row per row of
 * {@code weights.npy}, in the same order. The columns (README of {@code dnn_predict_accuracy} in
 * google-research/google-research) are {@link #COLUMNS}: the {@code config.*} flags of {@code train_network.py}
 * the model was trained with, {@code modeldir} (the run's working directory: one per model), {@code step} and the
 * train/test accuracy and loss of the checkpoint. There is no validation metric.
 *
 * <p>Every field is kept as the text it was read as, so an import followed by an export writes the same values;
 * typed access and validation are in {@link SmallCnnRecord}. A leading column with an empty name (a pandas index)
 * and further columns are kept and written back; the listed columns must all be there.
 */
public final class SmallCnnMetrics {
    public static final String FILE = "metrics.csv.gz";
    public static final List<String> COLUMNS = List.of("config.activation", "config.b_init", "config.dataset",
            "config.dnn_architecture", "config.dropout", "config.epochs", "config.epochs_between_checkpoints",
            "config.init_std", "config.l2reg", "config.learning_rate", "config.num_layers", "config.num_units",
            "config.optimizer", "config.random_seed", "config.train_fraction", "config.w_init", "modeldir", "step",
            "test_accuracy", "test_loss", "train_accuracy", "train_loss");
    /** Columns whose values differ on nearly every row; the others repeat and are shared in memory. */
    private static final Set<String> UNIQUE = Set.of("test_accuracy", "test_loss", "train_accuracy", "train_loss");

    private final Path file;
    private final List<String> header;
    private final Map<String, Integer> column = new HashMap<>();
    private final List<String[]> rows;

    private SmallCnnMetrics(Path file, List<String> header, List<String[]> rows) {
        this.file = file;
        this.header = List.copyOf(header);
        for (int i = 0; i < header.size(); i++) column.putIfAbsent(header.get(i), i);
        this.rows = rows;
    }

    public Path file() { return file; }

    public List<String> header() { return header; }

    public int rows() { return rows.size(); }

    /** The raw fields of row {@code row} (0-based, the row of weights.npy), in header order. */
    public String[] fields(int row) { return rows.get(row); }

    public String get(int row, String name) { return rows.get(row)[column.get(name)]; }

    /** Reads the whole file (about 100 bytes a row: 27 MB for the 270,000 rows of a published zoo). */
    public static SmallCnnMetrics read(Path file) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(HadoopFiles.fs(file).open(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            String headerLine = r.readLine();
            if (headerLine == null) throw new SmallCnnFormatException(file + " is empty");
            List<String> header = Csv.parse(headerLine);
            if (header == null) throw new SmallCnnFormatException(file + ": the header has an open quote");
            for (String c : COLUMNS) {
                if (!header.contains(c)) {
                    throw new SmallCnnFormatException(file + ": column " + c + " is missing (header: " + headerLine
                            + ")");
                }
            }
            boolean[] shared = new boolean[header.size()];
            for (int i = 0; i < shared.length; i++) shared[i] = !UNIQUE.contains(header.get(i));
            Map<String, String> pool = new HashMap<>();
            List<String[]> rows = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) continue;
                List<String> f = Csv.parse(line);
                if (f == null || f.size() != header.size()) {
                    throw new SmallCnnFormatException(file + " row " + rows.size() + " (line " + (rows.size() + 2)
                            + "): " + (f == null ? "an open quote" : f.size() + " columns, the header has "
                            + header.size()));
                }
                String[] a = f.toArray(String[]::new);
                for (int i = 0; i < a.length; i++) if (shared[i]) a[i] = pool.computeIfAbsent(a[i], k -> k);
                rows.add(a);
            }
            return new SmallCnnMetrics(file, header, rows);
        } catch (FileNotFoundException e) {
            throw new SmallCnnFormatException("missing file " + file);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new SmallCnnFormatException(file + " is not a complete gzip file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Streams rows into a gzip CSV: the header first, then one line per {@link #write(List)}. */
    public static final class Writer implements AutoCloseable {
        private final java.io.Writer out;
        private final int columns;

        public Writer(OutputStream out, List<String> header) {
            try {
                this.out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(out, 1 << 16),
                        StandardCharsets.UTF_8), 1 << 16);
                this.columns = header.size();
                this.out.write(Csv.format(header));
                this.out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + FILE, e);
            }
        }

        public void write(List<String> fields) {
            if (fields.size() != columns) {
                throw new IllegalArgumentException(fields.size() + " fields for " + columns + " columns");
            }
            try {
                out.write(Csv.format(fields));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + FILE, e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish " + FILE, e);
            }
        }
    }

}
