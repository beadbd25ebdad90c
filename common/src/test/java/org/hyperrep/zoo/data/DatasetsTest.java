package org.hyperrep.zoo.data;

import org.hyperrep.config.DatasetSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.hyperrep.zoo.data.Fixtures.TEST_IMAGES;
import static org.hyperrep.zoo.data.Fixtures.TEST_LABELS;
import static org.hyperrep.zoo.data.Fixtures.TRAIN_IMAGES;
import static org.hyperrep.zoo.data.Fixtures.TRAIN_LABELS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    @TempDir
    Path tmp;

    static DatasetSpec spec(String name, String path, double fraction, int validation, long seed) {
        return new DatasetSpec(name, path, fraction, validation, seed, 400, 0.1);
    }

    static DatasetSpec fashion(double fraction, int validation, long seed) {
        return spec("fashion-mnist", Fixtures.dir().toString(), fraction, validation, seed);
    }

    @Test
    void imageSetIsSplitIntoTheConfiguredSizes() {
        ZooData d = Datasets.load(fashion(1.0, 50, 1));
        assertEquals("fashion-mnist", d.name());
        assertEquals(250, d.train().size());
        assertEquals(50, d.validation().size());
        assertEquals(100, d.test().size());
        for (ImageData part : List.of(d.train(), d.validation(), d.test())) {
            assertEquals(1, part.channels());
            assertEquals(28, part.height());
            assertEquals(28, part.width());
            assertEquals(10, part.numClasses());
        }
    }

    @Test
    void loadIsDeterministicForASeedAndTheSeedMatters() {
        ZooData a = Datasets.load(fashion(0.5, 50, 1));
        ZooData b = Datasets.load(fashion(0.5, 50, 1));
        ZooData c = Datasets.load(fashion(0.5, 50, 2));
        for (ImageData[] pair : new ImageData[][]{{a.train(), b.train()}, {a.validation(), b.validation()},
                {a.test(), b.test()}}) {
            assertArrayEquals(pair[0].pixels(), pair[1].pixels());
            assertArrayEquals(pair[0].labels(), pair[1].labels());
        }
        assertFalse(Arrays.equals(a.validation().labels(), c.validation().labels()));
        assertFalse(Arrays.equals(a.test().labels(), c.test().labels()));
    }

    @Test
    void splitPartitionsTheTrainingFile() {
        ImageData raw = IdxReader.read(Fixtures.file(TRAIN_IMAGES), Fixtures.file(TRAIN_LABELS));
        ImageData[] parts = Datasets.split(raw, 50, 11);
        assertEquals(250, parts[0].size());
        assertEquals(50, parts[1].size());
        int[] all = new int[raw.size()];
        int k = 0;
        for (ImageData part : parts) {
            for (int i = 0; i < part.size(); i++) {
                all[k++] = imageHash(part, i);
            }
        }
        int[] expected = new int[raw.size()];
        for (int i = 0; i < raw.size(); i++) {
            expected[i] = imageHash(raw, i);
        }
        Arrays.sort(all);
        Arrays.sort(expected);
        assertArrayEquals(expected, all, "train and validation together are the training file, each image once");
        // A shuffle, not the first or last 50 images.
        assertFalse(Arrays.equals(Arrays.copyOf(raw.labels(), 50), parts[1].labels()));
        assertFalse(Arrays.equals(Arrays.copyOfRange(raw.labels(), 250, 300), parts[1].labels()));
    }

    @Test
    void dataFractionKeepsASeededShareOfEachPartAndAtLeastOneImage() {
        ZooData half = Datasets.load(fashion(0.5, 50, 1));
        assertEquals(125, half.train().size());
        assertEquals(25, half.validation().size());
        assertEquals(50, half.test().size());
        ZooData tiny = Datasets.load(fashion(0.001, 50, 1));
        assertEquals(1, tiny.train().size());
        assertEquals(1, tiny.validation().size());
        assertEquals(1, tiny.test().size());
        assertThrows(DatasetException.class, () -> Datasets.load(fashion(0, 50, 1)));
        assertThrows(DatasetException.class, () -> Datasets.load(fashion(1.5, 50, 1)));
    }

    @Test
    void pixelsAreStandardizedWithTheTrainingStatistics() {
        ZooData d = Datasets.load(fashion(1.0, 50, 3));
        double[] ms = meanStd(d.train().pixels());
        assertEquals(0, ms[0], 1e-5);
        assertEquals(1, ms[1], 1e-5);

        // The test part must be (raw − m) / s with m, s of the raw training part, not its own statistics.
        ImageData rawTrain = Datasets.split(
                IdxReader.read(Fixtures.file(TRAIN_IMAGES), Fixtures.file(TRAIN_LABELS)), 50, 3)[0];
        double[] raw = meanStd(rawTrain.pixels());
        ImageData rawTest = IdxReader.read(Fixtures.file(TEST_IMAGES), Fixtures.file(TEST_LABELS));
        float[] test = d.test().pixels();
        for (int i = 0; i < test.length; i++) {
            assertEquals((rawTest.pixels()[i] - raw[0]) / raw[1], test[i], 1e-4);
        }
        double[] testMs = meanStd(test);
        assertTrue(Math.abs(testMs[0]) > 1e-6, "test part was not standardized with its own mean");
    }

    @Test
    void validationSizeMustLeaveTrainingImages() {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(fashion(1.0, 300, 1)));
        assertTrue(e.getMessage().contains("300"), e.getMessage());
        assertThrows(DatasetException.class, () -> Datasets.load(fashion(1.0, -1, 1)));
    }

    @Test
    void uncompressedFilesAreAcceptedUnderTheSameNames() {
        for (String f : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            Fixtures.write(tmp.resolve(f.replace(".gz", "")), Fixtures.raw(f));
        }
        ZooData plain = Datasets.load(spec("fashion-mnist", tmp.toString(), 1.0, 50, 1));
        ZooData gz = Datasets.load(fashion(1.0, 50, 1));
        assertArrayEquals(gz.train().pixels(), plain.train().pixels());
        assertArrayEquals(gz.test().labels(), plain.test().labels());
    }

    @Test
    void missingFilesAreListedWithTheDirectory() throws IOException {
        Files.copy(Fixtures.dir().resolve(TRAIN_IMAGES), tmp.resolve(TRAIN_IMAGES));
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.load(spec("mnist", tmp.toString(), 1.0, 50, 1)));
        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte") && e.getMessage().contains("t10k-images"),
                e.getMessage());
        assertFalse(e.getMessage().contains("train-images"), "the file that is there is not reported");
    }

    @Test
    void mnistDefaultLocationIsNamedWhenAbsent() {
        Assumptions.assumeFalse(Files.isDirectory(Path.of(Datasets.MNIST_DEFAULT_DIR)), "MNIST is installed");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(spec("mnist", "", 1, 50, 1)));
        assertTrue(e.getMessage().contains(Datasets.MNIST_DEFAULT_DIR), e.getMessage());
    }

    @Test
    void imagesThatAreNot28By28AreRejected() {
        // Three 2×2 images in valid IDX files: a readable file, but not MNIST.
        byte[] images = new byte[16 + 12];
        Fixtures.putInt(images, 0, IdxReader.IMAGES_MAGIC);
        Fixtures.putInt(images, 4, 3);
        Fixtures.putInt(images, 8, 2);
        Fixtures.putInt(images, 12, 2);
        byte[] labels = new byte[8 + 3];
        Fixtures.putInt(labels, 0, IdxReader.LABELS_MAGIC);
        Fixtures.putInt(labels, 4, 3);
        Fixtures.write(tmp.resolve("train-images-idx3-ubyte"), images);
        Fixtures.write(tmp.resolve("train-labels-idx1-ubyte"), labels);
        Fixtures.write(tmp.resolve("t10k-images-idx3-ubyte"), images);
        Fixtures.write(tmp.resolve("t10k-labels-idx1-ubyte"), labels);
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.load(spec("mnist", tmp.toString(), 1, 1, 1)));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("2x2"),
                e.getMessage());
    }

    @Test
    void unknownNameIsNamedAndKnownNamesListed() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.load(spec("imagenet", null, 1, 10, 1)));
        for (String s : List.of("imagenet", "tetris", "mnist", "fashion-mnist", "cifar10")) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
    }

    @Test
    void cifar10NeedsAPath() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.load(spec("cifar10", null, 1, 10, 1)));
        assertTrue(e.getMessage().contains("'path'"), e.getMessage());
    }

    @Test
    void cifar10IsSplitAndStandardizedPerChannel() {
        Path dir = tmp.resolve(Datasets.CIFAR10_SUBDIR);
        writeCifar(dir);
        // The parent of the tarball's directory works as well as the directory itself.
        for (String path : List.of(dir.toString(), tmp.toString())) {
            ZooData d = Datasets.load(spec("cifar10", path, 1, 5, 1));
            assertEquals(15, d.train().size());
            assertEquals(5, d.validation().size());
            assertEquals(3, d.test().size());
            assertEquals(3, d.train().channels());
            float[] px = d.train().pixels();
            for (int c = 0; c < 3; c++) {
                float[] channel = new float[15 * 1024];
                for (int i = 0; i < 15; i++) {
                    System.arraycopy(px, i * 3072 + c * 1024, channel, i * 1024, 1024);
                }
                double[] ms = meanStd(channel);
                assertEquals(0, ms[0], 1e-5, "channel " + c);
                assertEquals(1, ms[1], 1e-5, "channel " + c);
            }
        }
    }

    @Test
    void cifar10MissingBatchIsNamed() throws IOException {
        writeCifar(tmp);
        Files.delete(tmp.resolve("data_batch_4.bin"));
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.load(spec("cifar10", tmp.toString(), 1, 5, 1)));
        assertTrue(e.getMessage().contains("data_batch_4.bin"), e.getMessage());
    }

    @Test
    void tetrisPartsHaveTheConfiguredSizesAndDifferentSeeds() {
        ZooData a = Datasets.load(spec("tetris", null, 1, 0, 5));
        assertEquals(400, a.train().size());
        assertEquals(100, a.validation().size());
        assertEquals(100, a.test().size());
        assertEquals(16, a.train().pixelsPerImage());
        assertArrayEquals(TetrisData.generate(400, 0.1, 5).pixels(), a.train().pixels());
        assertFalse(Arrays.equals(a.train().head(100).pixels(), a.validation().pixels()));
        assertFalse(Arrays.equals(a.validation().pixels(), a.test().pixels()));
        ZooData b = Datasets.load(spec("tetris", null, 1, 0, 5));
        assertArrayEquals(a.test().pixels(), b.test().pixels());
        // Not standardized: four of sixteen pixels are on, so the mean stays near 0.25.
        assertEquals(0.25, meanStd(a.train().pixels())[0], 0.02);

        ZooData half = Datasets.load(spec("tetris", null, 0.5, 0, 5));
        assertEquals(200, half.train().size());
        assertEquals(50, half.validation().size());
        assertEquals(50, half.test().size());
    }

    @Test
    void describeInputsListsTheFilesWithTheirSizes() throws IOException {
        List<String> inputs = Datasets.describeInputs(fashion(1, 50, 1));
        assertEquals(4, inputs.size());
        List<String> names = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
        for (int i = 0; i < 4; i++) {
            long size = Files.size(Fixtures.dir().resolve(names.get(i)));
            assertTrue(inputs.get(i).endsWith(names.get(i) + " (" + size + " bytes)"), inputs.get(i));
        }
        assertEquals(List.of(), Datasets.describeInputs(spec("tetris", null, 1, 0, 1)));
    }

    /** The real Debian files, when installed: full sizes, and the fixtures are really their first images. */
    @Test
    void realFashionMnistWhenInstalled() {
        String dir = Datasets.FASHION_MNIST_DEFAULT_DIR;
        Assumptions.assumeTrue(Files.isRegularFile(Path.of(dir, TRAIN_IMAGES)), "dataset-fashion-mnist not installed");
        ImageData real = IdxReader.read(dir + "/" + TRAIN_IMAGES, dir + "/" + TRAIN_LABELS);
        assertEquals(60000, real.size());
        ImageData fixture = IdxReader.read(Fixtures.file(TRAIN_IMAGES), Fixtures.file(TRAIN_LABELS));
        ImageData head = real.head(300);
        assertArrayEquals(head.pixels(), fixture.pixels());
        assertArrayEquals(head.labels(), fixture.labels());
        real = null;
        head = null;

        ZooData d = Datasets.load(spec("fashion-mnist", null, 1, 10000, 1));
        assertEquals(50000, d.train().size());
        assertEquals(10000, d.validation().size());
        assertEquals(10000, d.test().size());
        assertArrayEquals(Fixtures.FIRST_TEST_LABELS, Arrays.copyOf(d.test().labels(), 20));
    }

    private static void writeCifar(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int b = 1; b <= 5; b++) {
            Fixtures.write(dir.resolve("data_batch_" + b + ".bin"),
                    Cifar10ReaderTest.batch(new int[]{b, b + 1, b + 2, b + 3}, b * 4));
        }
        Fixtures.write(dir.resolve("test_batch.bin"), Cifar10ReaderTest.batch(new int[]{0, 5, 9}, 100));
    }

    private static int imageHash(ImageData d, int i) {
        int p = d.pixelsPerImage();
        return Arrays.hashCode(Arrays.copyOfRange(d.pixels(), i * p, (i + 1) * p)) * 31 + d.labels()[i];
    }

    private static double[] meanStd(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double sq = 0;
        for (float v : values) {
            sq += (v - mean) * (v - mean);
        }
        return new double[]{mean, Math.sqrt(sq / values.length)};
    }
}
