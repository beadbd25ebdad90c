package org.hyperrep.store.smallcnn;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.hyperrep.store.HadoopFiles;

import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a 2-D float32 matrix from a NumPy {@code .npy} file one row at a time, so that a matrix far larger than
 * memory (the Small CNN Zoo's {@code weights.npy} is 270,000 × 4970 floats, 5.4 GB) streams through.
 *
 * <p>The format (NumPy's {@code numpy.lib.format}, NEP 1): the magic {@code \x93NUMPY}, a major and minor version
 * byte, the header length (little-endian uint16 for version 1.0, uint32 for 2.0 and 3.0), then an ASCII (3.0:
 * UTF-8) Python dict literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (270000, 4970), }}
 * padded with spaces and a newline, then the raw data. Read here: versions 1.0, 2.0 and 3.0; {@code descr}
 * {@code <f4} or {@code >f4}; C order; two dimensions. Anything else (float64, Fortran order, another rank, a
 * truncated file) is refused with a message naming the file, never converted silently.
 */
public final class NpyFloatMatrix implements Closeable {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private final Path path;
    private final FSDataInputStream in;
    private final long rows;
    private final int cols;
    private final long dataOffset;
    private final ByteOrder order;
    private final byte[] rowBytes;

    private NpyFloatMatrix(Path path, FSDataInputStream in, long rows, int cols, long dataOffset, ByteOrder order) {
        this.path = path;
        this.in = in;
        this.rows = rows;
        this.cols = cols;
        this.dataOffset = dataOffset;
        this.order = order;
        this.rowBytes = new byte[cols * 4];
    }

    /** Opens and validates the header; the data are read on demand by {@link #readRow}. */
    public static NpyFloatMatrix open(Path path) {
        FileSystem fs = HadoopFiles.fs(path);
        FSDataInputStream in;
        long length;
        try {
            length = fs.getFileStatus(path).getLen();
            in = fs.open(path);
        } catch (FileNotFoundException e) {
            throw new SmallCnnFormatException("missing file " + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
        try {
            byte[] lead = new byte[10];
            in.readFully(0, lead);
            for (int i = 0; i < MAGIC.length; i++) {
                if (lead[i] != MAGIC[i]) throw bad(path, "is not a .npy file (no \\x93NUMPY magic)");
            }
            int major = lead[6] & 0xff, minor = lead[7] & 0xff;
            long headerLen;
            int preamble;
            if (major == 1) {
                headerLen = ByteBuffer.wrap(lead, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
                preamble = 10;
            } else if (major == 2 || major == 3) {
                byte[] l = new byte[4];
                in.readFully(8, l);
                headerLen = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
                preamble = 12;
            } else {
                throw bad(path, "has .npy format version " + major + "." + minor + " (read: 1.0, 2.0, 3.0)");
            }
            if (headerLen > 1 << 20) throw bad(path, "has an implausible .npy header length " + headerLen);
            byte[] h = new byte[(int) headerLen];
            in.readFully(preamble, h);
            String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String descr = group(path, DESCR, header, "descr");
            ByteOrder order = switch (descr) {
                case "<f4" -> ByteOrder.LITTLE_ENDIAN;
                case ">f4" -> ByteOrder.BIG_ENDIAN;
                default -> throw bad(path, "holds dtype '" + descr + "'; the Small CNN Zoo format is float32 ('<f4')");
            };
            if (group(path, FORTRAN, header, "fortran_order").equals("True")) {
                throw bad(path, "is stored in Fortran (column-major) order; only C order can be streamed by row: "
                        + "rewrite it with numpy.ascontiguousarray");
            }
            String[] dims = group(path, SHAPE, header, "shape").split(",");
            long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
            if (shape.length != 2) {
                throw bad(path, "holds a " + shape.length + "-dimensional array; expected a matrix (rows, parameters)");
            }
            if (shape[1] > Integer.MAX_VALUE / 4) throw bad(path, "has " + shape[1] + " columns");
            long dataOffset = preamble + headerLen;
            long need = dataOffset + shape[0] * shape[1] * 4;
            if (length < need) {
                throw bad(path, "is truncated: its header promises " + shape[0] + " × " + shape[1] + " floats ("
                        + need + " bytes) but the file has " + length + " bytes");
            }
            return new NpyFloatMatrix(path, in, shape[0], (int) shape[1], dataOffset, order);
        } catch (EOFException e) {
            close(in);
            throw bad(path, "ends inside its .npy header");
        } catch (IOException e) {
            close(in);
            throw new UncheckedIOException("cannot read " + path, e);
        } catch (RuntimeException e) {
            close(in);
            throw e;
        }
    }

    public Path path() { return path; }

    public long rows() { return rows; }

    public int cols() { return cols; }

    /** Reads row {@code row} into {@code dst} (length {@link #cols()}); any row, in any order. */
    public void readRow(long row, float[] dst) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows + " in " + path);
        try {
            in.readFully(dataOffset + row * rowBytes.length, rowBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read row " + row + " of " + path, e);
        }
        ByteBuffer.wrap(rowBytes).order(order).asFloatBuffer().get(dst, 0, cols);
    }

    @Override
    public void close() { close(in); }

    private static void close(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // reading is over; nothing was written
        }
    }

    private static String group(Path path, Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw bad(path, "has no '" + key + "' in its .npy header: " + header.trim());
        return m.group(1);
    }

    private static SmallCnnFormatException bad(Path path, String what) {
        return new SmallCnnFormatException(path + " " + what);
    }
}
