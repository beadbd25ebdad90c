package org.hyperrep.zoo.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.hyperrep.zoo.data.IdxReaderTest.assertFailsNaming;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Cifar10ReaderTest {
    @TempDir
    Path tmp;

    /**
     * A batch file in the exact CIFAR-10 binary format: per record a label byte, then the red, green and blue
     * 32×32 planes. Each plane gets its own byte pattern so a reader that mixes up the planes, or rows and
     * columns, gets different numbers.
     */
    static byte[] batch(int[] labels, int offset) {
        byte[] out = new byte[labels.length * 3073];
        for (int r = 0; r < labels.length; r++) {
            out[r * 3073] = (byte) labels[r];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out[r * 3073 + 1 + c * 1024 + y * 32 + x] = (byte) value(r + offset, c, y, x);
                    }
                }
            }
        }
        return out;
    }

    /** Byte value of pixel (c, y, x) of image r; spans 0..255. */
    static int value(int r, int c, int y, int x) {
        return (r * 37 + c * 80 + y * 3 + x * 5) % 256;
    }

    @Test
    void readsRecordsAsRedGreenBluePlanes() {
        Path file = Fixtures.write(tmp.resolve("data_batch_1.bin"), batch(new int[]{3, 7, 0}, 0));
        ImageData d = Cifar10Reader.read(file.toString());
        assertEquals(3, d.size());
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(32, d.width());
        assertEquals(10, d.numClasses());
        assertArrayEquals(new int[]{3, 7, 0}, d.labels());
        float[] px = d.pixels();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        assertEquals(value(r, c, y, x) / 255f, px[r * 3072 + c * 1024 + y * 32 + x]);
                    }
                }
            }
        }
        // Spot values worked out by hand: image 1, green (c = 1), row 2, column 4: 37 + 80 + 6 + 20 = 143.
        assertEquals(143 / 255f, px[3072 + 1024 + 2 * 32 + 4]);
    }

    @Test
    void concatenatesFilesInOrder() {
        Path a = Fixtures.write(tmp.resolve("a.bin"), batch(new int[]{1, 2}, 0));
        Path b = Fixtures.write(tmp.resolve("b.bin"), batch(new int[]{9}, 2));
        ImageData d = Cifar10Reader.read(a.toString(), b.toString());
        assertArrayEquals(new int[]{1, 2, 9}, d.labels());
        assertEquals(value(2, 2, 31, 31) / 255f, d.pixels()[3 * 3072 - 1]);
    }

    @Test
    void fileSizeNotAMultipleOfTheRecordIsCorrupt() {
        byte[] two = batch(new int[]{1, 2}, 0);
        Path bad = Fixtures.write(tmp.resolve("data_batch_2.bin"), Arrays.copyOf(two, two.length - 5));
        assertFailsNaming(bad.toString(), "3073", () -> Cifar10Reader.read(bad.toString()));
    }

    @Test
    void labelsOutsideTheTenClassesAreCorrupt() {
        Path bad = Fixtures.write(tmp.resolve("test_batch.bin"), batch(new int[]{4, 10}, 0));
        assertFailsNaming(bad.toString(), "label 10", () -> Cifar10Reader.read(bad.toString()));
    }

    @Test
    void missingAndCompressedFilesAreNamed() {
        String missing = tmp.resolve("data_batch_3.bin").toString();
        assertFailsNaming(missing, "not found", () -> Cifar10Reader.read(missing));
        // Starts with the gzip magic and has a valid size: must be refused, not read as compressed pixels.
        byte[] fake = new byte[3073];
        fake[0] = 0x1f;
        fake[1] = (byte) 0x8b;
        Path gz = Fixtures.write(tmp.resolve("packed.bin"), fake);
        assertFailsNaming(gz.toString(), "gzip", () -> Cifar10Reader.read(gz.toString()));
    }
}
