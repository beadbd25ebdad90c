package org.hyperrep.zoo.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hyperrep.zoo.data.Fixtures.TEST_IMAGES;
import static org.hyperrep.zoo.data.Fixtures.TEST_LABELS;
import static org.hyperrep.zoo.data.Fixtures.TRAIN_IMAGES;
import static org.hyperrep.zoo.data.Fixtures.TRAIN_LABELS;

class IdxReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheTrainingFixture() {
        ImageData d = IdxReader.read(Fixtures.file(TRAIN_IMAGES), Fixtures.file(TRAIN_LABELS));
        assertEquals(300, d.size());
        assertEquals(1, d.channels());
        assertEquals(28, d.height());
        assertEquals(28, d.width());
        assertEquals(10, d.numClasses());
        assertArrayEquals(Fixtures.FIRST_TRAIN_LABELS, Arrays.copyOf(d.labels(), 20));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : d.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void pixelsAreTheFileBytesOver255InFileOrder() {
        byte[] raw = Fixtures.raw(TRAIN_IMAGES);
        float[] px = IdxReader.readImages(Fixtures.file(TRAIN_IMAGES)).pixels();
        assertEquals(raw.length - 16, px.length);
        for (int i = 0; i < px.length; i++) {
            assertEquals((raw[16 + i] & 0xff) / 255f, px[i], "pixel " + i);
        }
    }

    @Test
    void readsTheTestFixture() {
        ImageData d = IdxReader.read(Fixtures.file(TEST_IMAGES), Fixtures.file(TEST_LABELS));
        assertEquals(100, d.size());
        assertArrayEquals(Fixtures.FIRST_TEST_LABELS, Arrays.copyOf(d.labels(), 20));
    }

    @Test
    void compressionIsDetectedFromTheContentNotTheName() {
        ImageData gz = IdxReader.read(Fixtures.file(TEST_IMAGES), Fixtures.file(TEST_LABELS));
        // Plain content under plain names, and under .gz names; gzip content under a plain name.
        Path plainImages = Fixtures.write(tmp.resolve("t10k-images-idx3-ubyte"), Fixtures.raw(TEST_IMAGES));
        Path plainLabels = Fixtures.write(tmp.resolve("t10k-labels-idx1-ubyte"), Fixtures.raw(TEST_LABELS));
        Path liarImages = Fixtures.write(tmp.resolve("liar-images.gz"), Fixtures.raw(TEST_IMAGES));
        Path gzNoSuffix = Fixtures.writeGzip(tmp.resolve("labels-no-suffix"), Fixtures.raw(TEST_LABELS));
        for (ImageData d : new ImageData[]{
                IdxReader.read(plainImages.toString(), plainLabels.toString()),
                IdxReader.read(liarImages.toString(), gzNoSuffix.toString())}) {
            assertArrayEquals(gz.pixels(), d.pixels());
            assertArrayEquals(gz.labels(), d.labels());
        }
    }

    @Test
    void readsHadoopFileUris() {
        ImageData d = IdxReader.read(Fixtures.dir().resolve(TEST_IMAGES).toUri().toString(),
                "file://" + Fixtures.file(TEST_LABELS));
        assertEquals(100, d.size());
    }

    @Test
    void missingFileIsNamed() {
        String missing = tmp.resolve("no-such-images.gz").toString();
        assertFailsNaming(missing, "not found", () -> IdxReader.read(missing, Fixtures.file(TEST_LABELS)));
    }

    @Test
    void wrongMagicIsNamed() {
        String labels = Fixtures.file(TEST_LABELS);
        assertFailsNaming(labels, "magic", () -> IdxReader.readImages(labels));
        byte[] bytes = Fixtures.raw(TEST_IMAGES);
        Fixtures.putInt(bytes, 0, 0x00000804);
        Path bad = Fixtures.write(tmp.resolve("bad-magic"), bytes);
        assertFailsNaming(bad.toString(), "0x00000804", () -> IdxReader.readImages(bad.toString()));
    }

    @Test
    void truncatedFilesAreNamed() {
        byte[] images = Fixtures.raw(TEST_IMAGES);
        Path cut = Fixtures.write(tmp.resolve("cut-images"), Arrays.copyOf(images, 16 + 784 * 10 + 100));
        assertFailsNaming(cut.toString(), "truncated", () -> IdxReader.readImages(cut.toString()));

        Path header = Fixtures.write(tmp.resolve("cut-header"), Arrays.copyOf(images, 10));
        assertFailsNaming(header.toString(), "truncated", () -> IdxReader.readImages(header.toString()));

        byte[] labels = Fixtures.raw(TEST_LABELS);
        Path cutLabels = Fixtures.write(tmp.resolve("cut-labels"), Arrays.copyOf(labels, 8 + 50));
        assertFailsNaming(cutLabels.toString(), "truncated", () -> IdxReader.readLabels(cutLabels.toString()));
    }

    @Test
    void truncatedGzipIsNamed() throws Exception {
        byte[] gz = Files.readAllBytes(Fixtures.dir().resolve(TEST_IMAGES));
        Path cut = Fixtures.write(tmp.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertFailsNaming(cut.toString(), "truncated", () -> IdxReader.readImages(cut.toString()));
    }

    @Test
    void extraBytesAfterTheDeclaredItemsAreRejected() {
        byte[] images = Fixtures.raw(TEST_IMAGES);
        Path longer = Fixtures.write(tmp.resolve("longer"), Arrays.copyOf(images, images.length + 784));
        assertFailsNaming(longer.toString(), "after", () -> IdxReader.readImages(longer.toString()));
    }

    @Test
    void imageLabelCountMismatchNamesBothFiles() {
        String images = Fixtures.file(TRAIN_IMAGES);
        String labels = Fixtures.file(TEST_LABELS);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().contains(images) && e.getMessage().contains(labels), e.getMessage());
        assertTrue(e.getMessage().contains("300") && e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void wrongDimensionsAreNamed() {
        byte[] images = Fixtures.raw(TEST_IMAGES);
        Fixtures.putInt(images, 8, 0);
        Path bad = Fixtures.write(tmp.resolve("zero-rows"), images);
        assertFailsNaming(bad.toString(), "dimensions", () -> IdxReader.readImages(bad.toString()));
    }

    @Test
    void labelsOutsideTheClassesAreNamed() {
        byte[] labels = Fixtures.raw(TEST_LABELS);
        labels[8 + 5] = 10;
        Path bad = Fixtures.write(tmp.resolve("label-10"), labels);
        assertFailsNaming(bad.toString(), "label 10",
                () -> IdxReader.read(Fixtures.file(TEST_IMAGES), bad.toString()));
    }

    @Test
    void aDirectoryIsNotAFile() {
        assertFailsNaming(tmp.toString(), "directory", () -> IdxReader.readLabels(tmp.toString()));
    }

    static void assertFailsNaming(String file, String what, Executable call) {
        DatasetException e = assertThrows(DatasetException.class, call);
        assertTrue(e.getMessage().contains(file), "message should name " + file + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(what), "message should say '" + what + "': " + e.getMessage());
    }
}
