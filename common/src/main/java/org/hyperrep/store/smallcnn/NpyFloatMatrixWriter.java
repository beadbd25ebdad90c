package org.hyperrep.store.smallcnn;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a 2-D float32 matrix as a NumPy {@code .npy} file, version 1.0, little-endian ({@code '<f4'}), C order,
 * one row at a time: the row count is fixed up front (the header comes first) and checked on {@link #close()}.
 * The header is padded so that the data start at a multiple of 64 bytes, as NumPy itself writes it.
 */
public final class NpyFloatMatrixWriter implements Closeable {
    private final OutputStream out;
    private final long rows;
    private final int cols;
    private final ByteBuffer row;
    private long written;

    public NpyFloatMatrixWriter(OutputStream out, long rows, int cols) {
        this.out = new BufferedOutputStream(out, 1 << 20);
        this.rows = rows;
        this.cols = cols;
        this.row = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        try {
            this.out.write(header(rows, cols));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a .npy header", e);
        }
    }

    /** The complete version 1.0 preamble (magic, version, length, padded dict) for a float32 matrix. */
    static byte[] header(long rows, int cols) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyFloatMatrix.MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    public void writeRow(float[] values) {
        if (values.length != cols) throw new IllegalArgumentException("row of " + values.length + " values, not " + cols);
        if (written == rows) throw new IllegalStateException("the header says " + rows + " rows; this is one more");
        row.clear();
        row.asFloatBuffer().put(values);
        try {
            out.write(row.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write row " + written, e);
        }
        written++;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish a .npy file", e);
        }
        if (written != rows) {
            throw new IllegalStateException("wrote " + written + " rows but the .npy header says " + rows);
        }
    }
}
