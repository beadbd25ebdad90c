package org.hyperrep.zoo.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads the IDX files MNIST and Fashion-MNIST are distributed in: an images file ({@code idx3-ubyte}: magic
 * {@code 0x00000803}, count, rows, columns, then one unsigned byte per pixel, image after image, row-major) and a
 * labels file ({@code idx1-ubyte}: magic {@code 0x00000801}, count, then one byte per label). All integers are
 * big-endian. Files may be gzip-compressed or not whatever their name says, and may live on any Hadoop file
 * system. Pixels come out scaled to [0, 1]; images are 1 × rows × columns.
 */
public final class IdxReader {
    /** Unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** MNIST and Fashion-MNIST both have ten classes. */
    public static final int DEFAULT_CLASSES = 10;

    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private IdxReader() {
    }

    /**
     * The pixels of an IDX images file.
     *
     * @param pixels {@code count × rows × cols} values in [0, 1], image after image, row-major
     */
    public record Images(int count, int rows, int cols, float[] pixels) {
    }

    /** Images and labels of a ten-class data set. */
    public static ImageData read(String imagesPath, String labelsPath) {
        return read(imagesPath, labelsPath, DEFAULT_CLASSES);
    }

    /** Images and labels; the two files must hold the same number of items and every label must be a class. */
    public static ImageData read(String imagesPath, String labelsPath, int numClasses) {
        Images images = readImages(imagesPath);
        int[] labels = readLabels(labelsPath);
        if (labels.length != images.count()) {
            throw new DatasetException("image/label count mismatch: " + imagesPath + " holds " + images.count()
                    + " images but " + labelsPath + " holds " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= numClasses) {
                throw new DatasetException(labelsPath + ": label " + labels[i] + " of item " + i
                        + " is outside 0.." + (numClasses - 1));
            }
        }
        return new ImageData(1, images.rows(), images.cols(), numClasses, images.pixels(), labels);
    }

    /** The pixels of an IDX images file, scaled to [0, 1]. */
    public static Images readImages(String path) {
        InputStream in = DataFiles.open(path);
        try (in) {
            ByteBuffer header = header(in, path, 16, IMAGES_MAGIC, "an IDX images file");
            int count = header.getInt(4);
            int rows = header.getInt(8);
            int cols = header.getInt(12);
            if (count < 0) {
                throw new DatasetException(path + ": header declares a negative image count " + count);
            }
            if (rows <= 0 || cols <= 0) {
                throw new DatasetException(path + ": wrong dimensions " + rows + "x" + cols + " in the header");
            }
            long total = (long) count * rows * cols;
            if (total > Integer.MAX_VALUE - 16) {
                throw new DatasetException(path + ": header declares " + count + " images of " + rows + "x" + cols
                        + ", too many pixels to hold in one array");
            }
            float[] pixels = new float[(int) total];
            byte[] buf = new byte[1 << 16];
            int done = 0;
            while (done < total) {
                int want = (int) Math.min(buf.length, total - done);
                int got = DataFiles.readFully(in, buf, 0, want);
                for (int i = 0; i < got; i++) {
                    pixels[done + i] = SCALE[buf[i] & 0xff];
                }
                done += got;
                if (got < want) {
                    throw new DatasetException(path + ": truncated: holds " + done + " of the " + total
                            + " pixel bytes its header declares (" + count + " images of " + rows + "x" + cols + ")");
                }
            }
            requireEnd(in, path);
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw corrupt(path, e);
        }
    }

    /** The labels of an IDX labels file. */
    public static int[] readLabels(String path) {
        InputStream in = DataFiles.open(path);
        try (in) {
            ByteBuffer header = header(in, path, 8, LABELS_MAGIC, "an IDX labels file");
            int count = header.getInt(4);
            if (count < 0 || count > Integer.MAX_VALUE - 16) {
                throw new DatasetException(path + ": header declares an impossible label count " + count);
            }
            byte[] bytes = new byte[count];
            int got = DataFiles.readFully(in, bytes, 0, count);
            if (got < count) {
                throw new DatasetException(path + ": truncated: holds " + got + " of the " + count
                        + " labels its header declares");
            }
            requireEnd(in, path);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw corrupt(path, e);
        }
    }

    private static ByteBuffer header(InputStream in, String path, int size, int magic, String kind)
            throws IOException {
        byte[] h = new byte[size];
        int got = DataFiles.readFully(in, h, 0, size);
        if (got < size) {
            throw new DatasetException(path + ": truncated: " + got + " bytes, shorter than the " + size
                    + "-byte header of " + kind);
        }
        ByteBuffer header = ByteBuffer.wrap(h); // big-endian by default, as IDX is
        int found = header.getInt(0);
        if (found != magic) {
            throw new DatasetException(String.format("%s: wrong magic number 0x%08x, expected 0x%08x for %s%s",
                    path, found, magic, kind, hint(found)));
        }
        return header;
    }

    private static String hint(int found) {
        if (found == IMAGES_MAGIC) {
            return "; this is an images file";
        }
        if (found == LABELS_MAGIC) {
            return "; this is a labels file";
        }
        return "";
    }

    /** Extra bytes mean the header's count is wrong, so the images and labels may not line up. */
    private static void requireEnd(InputStream in, String path) throws IOException {
        if (in.read() >= 0) {
            throw new DatasetException(path + ": corrupt: more data after the items its header declares");
        }
    }

    private static DatasetException corrupt(String path, IOException e) {
        return new DatasetException(path + ": cannot read, truncated or corrupt (" + e + ")", e);
    }
}
