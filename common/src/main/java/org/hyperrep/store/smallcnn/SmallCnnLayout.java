package org.hyperrep.store.smallcnn;

import org.apache.hadoop.fs.Path;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code layout.csv} of the Small CNN Zoo and the exact mapping between its flat vectors and hyperrep's canonical
 * {@code cnn-unterthiner} vector (docs/method.md).
 *
 * <p>The published file has the header {@code varname,start_idx,end_idx,size,shape} and one row per TensorFlow
 * variable of the Keras {@code Sequential} model of {@code train_network.py}, in the order Keras lists them:
 * per layer the bias BEFORE the kernel.
 * <pre>
 * varname                       start_idx end_idx size shape
 * sequential/conv2d/bias:0              0      16   16 (16,)
 * sequential/conv2d/kernel:0           16     160  144 (3, 3, 1, 16)
 * sequential/conv2d_1/bias:0          160     176   16 (16,)
 * sequential/conv2d_1/kernel:0        176    2480 2304 (3, 3, 16, 16)
 * sequential/conv2d_2/bias:0         2480    2496   16 (16,)
 * sequential/conv2d_2/kernel:0       2496    4800 2304 (3, 3, 16, 16)
 * sequential/dense/bias:0            4800    4810   10 (10,)
 * sequential/dense/kernel:0          4810    4970  160 (16, 10)
 * </pre>
 * {@code end_idx} is exclusive; {@code shape} is a Python tuple (quoted in the CSV because it holds commas), the
 * TensorFlow shape: conv kernels (kh, kw, c_in, c_out), the dense kernel (in, out), each flattened in C order.
 * Sources: the boundaries {@code (0,16),(16,160),(160,176),(176,2480),(2480,2496),(2496,4800),(4800,4810),
 * (4810,4970)} as "biases/kernels" in {@code extract_per_layer_features} of the authors' Colab
 * (google-research/google-research, {@code dnn_predict_accuracy/colab/dnn_predict_accuracy.ipynb}); the varnames
 * and shapes as readers of the data set spell them (e.g. the {@code SHAPES} tables of several public PyTorch ports);
 * how the file is read, {@code data[:, start_idx:end_idx].reshape(eval(shape))}, kernels told apart from biases by
 * the {@code kernel:0}/{@code bias:0} suffix and transposed (0, 4, 3, 1, 2) for conv and (0, 2, 1) for dense, in
 * {@code ZooDataset} of NFN (AllanYangZhou/nfn, {@code experiments/data_utils.py}), copied by neural-graphs
 * (mkofinas/neural-graphs, {@code experiments/data_generalization.py}) and ScaleGMN (jkalogero/scalegmn,
 * {@code src/data/cifar10_dataset.py}). Whether the published file carries a pandas index column could not be
 * checked; a leading column with an empty name is accepted and ignored.
 *
 * <p>Rows are read by varname, not by position, so a file listing the same variables in another order converts
 * correctly; an unknown or missing varname, a shape other than the architecture's, or ranges that do not tile
 * the vector are refused.
 */
public final class SmallCnnLayout {
    public static final String FILE = "layout.csv";
    public static final List<String> HEADER = List.of("varname", "start_idx", "end_idx", "size", "shape");

    /** Keras layer scope per hyperrep layer of {@code cnn-unterthiner}, in network order. */
    static final Map<String, String> KERAS_LAYER = new LinkedHashMap<>();

    static {
        KERAS_LAYER.put("conv1", "sequential/conv2d");
        KERAS_LAYER.put("conv2", "sequential/conv2d_1");
        KERAS_LAYER.put("conv3", "sequential/conv2d_2");
        KERAS_LAYER.put("dense1", "sequential/dense");
    }

    /** One row of layout.csv. */
    public record Entry(String varname, int start, int end, int[] shape) {
        int size() { return end - start; }

        List<String> fields() {
            return List.of(varname, Integer.toString(start), Integer.toString(end), Integer.toString(size()),
                    pythonTuple(shape));
        }
    }

    private final List<Entry> entries;
    /** canonicalIndex[i] = position in the canonical vector of element i of a Small CNN Zoo row. */
    private final int[] canonicalIndex;

    private SmallCnnLayout(List<Entry> entries, int[] canonicalIndex) {
        this.entries = List.copyOf(entries);
        this.canonicalIndex = canonicalIndex;
    }

    public List<Entry> entries() { return entries; }

    public int size() { return canonicalIndex.length; }

    /** The published layout for a canonical layout of {@code cnn-unterthiner}: per layer bias, then kernel. */
    public static SmallCnnLayout published(WeightLayout canonical) {
        List<Entry> entries = new ArrayList<>();
        int at = 0;
        for (LayerLayout l : canonical.layers()) {
            String scope = scope(l);
            entries.add(new Entry(scope + "/bias:0", at, at + l.out(), new int[]{l.out()}));
            at += l.out();
            int[] shape = tfKernelShape(l);
            entries.add(new Entry(scope + "/kernel:0", at, at + l.weightCount(), shape));
            at += l.weightCount();
        }
        return of(entries, canonical, "the published layout");
    }

    /** Validates {@code entries} against the canonical layout and builds the index map. */
    static SmallCnnLayout of(List<Entry> entries, WeightLayout canonical, String source) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (byName.put(e.varname(), e) != null) {
                throw new SmallCnnFormatException(source + ": varname " + e.varname() + " appears twice");
            }
        }
        int n = canonical.size();
        int[] index = new int[n];
        Arrays.fill(index, -1);
        List<String> expected = new ArrayList<>();
        for (LayerLayout l : canonical.layers()) {
            String scope = scope(l);
            expected.add(scope + "/bias:0");
            expected.add(scope + "/kernel:0");
            Entry bias = require(byName, scope + "/bias:0", new int[]{l.out()}, source);
            for (int o = 0; o < l.out(); o++) place(index, bias.start() + o, l.biasOffset() + o, source);
            Entry kernel = require(byName, scope + "/kernel:0", tfKernelShape(l), source);
            int kh = l.kh(), kw = l.kw(), in = l.in(), out = l.out();
            // TF kernel (kh, kw, c_in, c_out) in C order -> canonical [out, in, kh, kw]; dense (in, out) -> [out, in]
            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                    for (int c = 0; c < in; c++)
                        for (int o = 0; o < out; o++) {
                            int tf = ((y * kw + x) * in + c) * out + o;
                            int canon = l.offset() + ((o * in + c) * kh + y) * kw + x;
                            place(index, kernel.start() + tf, canon, source);
                        }
        }
        for (String name : byName.keySet()) {
            if (!expected.contains(name)) {
                throw new SmallCnnFormatException(source + ": unknown varname '" + name + "' (expected " + expected
                        + ")");
            }
        }
        for (int i = 0; i < n; i++) {
            if (index[i] < 0) throw new SmallCnnFormatException(source + ": no variable covers column " + i);
        }
        return new SmallCnnLayout(entries, index);
    }

    private static Entry require(Map<String, Entry> byName, String varname, int[] shape, String source) {
        Entry e = byName.get(varname);
        if (e == null) throw new SmallCnnFormatException(source + ": varname " + varname + " is missing");
        if (!Arrays.equals(e.shape(), shape)) {
            throw new SmallCnnFormatException(source + ": " + varname + " has shape " + pythonTuple(e.shape())
                    + " but cnn-unterthiner needs " + pythonTuple(shape));
        }
        return e;
    }

    private static void place(int[] index, int source, int canonical, String where) {
        if (source < 0 || source >= index.length) {
            throw new SmallCnnFormatException(where + ": column " + source + " is outside 0.." + (index.length - 1));
        }
        if (index[source] >= 0) throw new SmallCnnFormatException(where + ": column " + source + " is covered twice");
        index[source] = canonical;
    }

    private static String scope(LayerLayout l) {
        String s = KERAS_LAYER.get(l.name());
        if (s == null) throw new IllegalArgumentException("no Small CNN Zoo variable for layer " + l.name());
        return s;
    }

    private static int[] tfKernelShape(LayerLayout l) {
        return l.kind().equals("conv") ? new int[]{l.kh(), l.kw(), l.in(), l.out()} : new int[]{l.in(), l.out()};
    }

    /** A Small CNN Zoo row (TF order, bias first) as a canonical vector. */
    public float[] toCanonical(float[] row) {
        float[] canon = new float[row.length];
        for (int i = 0; i < row.length; i++) canon[canonicalIndex[i]] = row[i];
        return canon;
    }

    /** A canonical vector as a Small CNN Zoo row. */
    public float[] fromCanonical(float[] canon, float[] row) {
        for (int i = 0; i < row.length; i++) row[i] = canon[canonicalIndex[i]];
        return row;
    }

    /** Reads and validates {@code layout.csv}. */
    public static SmallCnnLayout read(Path file, WeightLayout canonical) {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(HadoopFiles.fs(file).open(file),
                StandardCharsets.UTF_8))) {
            String headerLine = r.readLine();
            if (headerLine == null) throw new SmallCnnFormatException(file + " is empty");
            List<String> header = Csv.parse(headerLine.strip());
            int skip = header != null && header.size() == HEADER.size() + 1 && header.get(0).isEmpty() ? 1 : 0;
            if (header == null || !header.subList(skip, header.size()).equals(HEADER)) {
                throw new SmallCnnFormatException(file + ": header is " + headerLine + ", expected "
                        + String.join(",", HEADER));
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                List<String> f = Csv.parse(line.strip());
                if (f == null || f.size() != header.size()) {
                    throw new SmallCnnFormatException(file + " line " + lineNo + ": " + (f == null ? "open quote"
                            : f.size() + " columns, header has " + header.size()));
                }
                String varname = f.get(skip);
                int start = integer(file, lineNo, "start_idx", f.get(skip + 1));
                int end = integer(file, lineNo, "end_idx", f.get(skip + 2));
                int size = integer(file, lineNo, "size", f.get(skip + 3));
                int[] shape = parseTuple(file, lineNo, f.get(skip + 4));
                int product = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                if (end - start != size || size != product) {
                    throw new SmallCnnFormatException(file + " line " + lineNo + " (" + varname + "): start_idx "
                            + start + ", end_idx " + end + ", size " + size + " and shape " + f.get(skip + 4)
                            + " disagree");
                }
                entries.add(new Entry(varname, start, end, shape));
            }
        } catch (FileNotFoundException e) {
            throw new SmallCnnFormatException("missing file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return of(entries, canonical, file.toString());
    }

    /** Writes {@code layout.csv} as pandas would (no index column). */
    public void write(java.io.OutputStream out) {
        StringBuilder s = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (Entry e : entries) s.append(Csv.format(e.fields())).append('\n');
        try {
            out.write(s.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    private static int integer(Path file, int line, String column, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new SmallCnnFormatException(file + " line " + line + ", column " + column + ": '" + v
                    + "' is not an integer");
        }
    }

    private static int[] parseTuple(Path file, int line, String v) {
        String t = v.trim();
        if (!(t.startsWith("(") && t.endsWith(")")) && !(t.startsWith("[") && t.endsWith("]"))) {
            throw new SmallCnnFormatException(file + " line " + line + ", column shape: '" + v
                    + "' is not a tuple such as (3, 3, 1, 16)");
        }
        String[] parts = t.substring(1, t.length() - 1).split(",");
        return Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(s -> integer(file, line, "shape", s)).toArray();
    }

    /** Python's repr of a tuple of ints: (16,) or (3, 3, 1, 16). */
    static String pythonTuple(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        return s.append(')').toString();
    }
}
