package org.hyperrep.zoo.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads the CIFAR-10 binary version ({@code cifar-10-batches-bin}): each file is a sequence of 3073-byte records,
 * one label byte (0..9) followed by 3072 pixel bytes: the 32×32 red plane, then green, then blue, each row-major.
 * That is already CHW order, so the images come out 3×32×32 with pixels scaled to [0, 1]. Files must be unpacked
 * (the official download is one tar.gz of all batches).
 */
public final class Cifar10Reader {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int CLASSES = 10;
    public static final int PIXELS = CHANNELS * SIDE * SIDE;
    /** Bytes per record: label + pixels. */
    public static final int RECORD = 1 + PIXELS;
    /** The five training batches, in the order their images are concatenated. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";

    private Cifar10Reader() {
    }

    /** The records of all files, concatenated in the given order. */
    public static ImageData read(String... paths) {
        return read(List.of(paths));
    }

    /** The records of all files, concatenated in the given order. */
    public static ImageData read(List<String> paths) {
        // Sizes first: a corrupt last file should fail before minutes of reading the others, and the total
        // lets the pixels go straight into one array.
        long total = 0;
        for (String path : paths) {
            long size = DataFiles.size(path);
            if (size % RECORD != 0) {
                throw new DatasetException(path + ": corrupt: " + size + " bytes is not a multiple of the "
                        + RECORD + "-byte CIFAR-10 record (1 label + 3x32x32 pixels)");
            }
            total += size / RECORD;
        }
        if (total * PIXELS > Integer.MAX_VALUE - 16) {
            throw new DatasetException(paths + ": " + total + " images are too many to hold in one array");
        }
        int n = (int) total;
        float[] pixels = new float[n * PIXELS];
        int[] labels = new int[n];
        int next = 0;
        for (String path : paths) {
            next = readFile(path, pixels, labels, next);
        }
        return new ImageData(CHANNELS, SIDE, SIDE, CLASSES, pixels, labels);
    }

    /** Reads one file's records into the arrays from image {@code first} on; returns the next free index. */
    private static int readFile(String path, float[] pixels, int[] labels, int first) {
        long records = DataFiles.size(path) / RECORD;
        InputStream in = DataFiles.openRaw(path);
        try (in) {
            if (DataFiles.isGzip(in)) {
                throw new DatasetException(path + ": is gzip-compressed; CIFAR-10 binary batches must be unpacked");
            }
            byte[] rec = new byte[RECORD];
            for (long r = 0; r < records; r++) {
                int got = DataFiles.readFully(in, rec, 0, RECORD);
                if (got < RECORD) {
                    // The size was checked, so this is a file changing under us or a lying file system.
                    throw new DatasetException(path + ": truncated while reading record " + r);
                }
                int label = rec[0] & 0xff;
                if (label >= CLASSES) {
                    throw new DatasetException(path + ": corrupt: record " + r + " has label " + label
                            + ", expected 0.." + (CLASSES - 1));
                }
                int image = first + (int) r;
                labels[image] = label;
                int base = image * PIXELS;
                for (int i = 0; i < PIXELS; i++) {
                    pixels[base + i] = (rec[1 + i] & 0xff) / 255f;
                }
            }
            return first + (int) records;
        } catch (IOException e) {
            throw new DatasetException(path + ": cannot read (" + e + ")", e);
        }
    }
}
