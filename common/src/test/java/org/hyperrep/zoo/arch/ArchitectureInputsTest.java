package org.hyperrep.zoo.arch;

import org.hyperrep.zoo.data.ImageData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.*;

/** {@link NetworkInputs}: slices of ImageData in the shapes the networks consume. */
class ArchitectureInputsTest {

    private static ImageData data(int n, int c, int h, int w, int classes) {
        float[] px = new float[n * c * h * w];
        for (int i = 0; i < px.length; i++) px[i] = i;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (i * 3) % classes;
        return new ImageData(c, h, w, classes, px, labels);
    }

    @Test
    void tetrisImagesAreFlattenedRowMajor() {
        Architecture a = Architectures.byName("tetris-mlp");
        for (ImageData d : new ImageData[]{data(5, 1, 4, 4, 4), data(5, 1, 1, 16, 4)}) {
            INDArray x = NetworkInputs.features(a, d, 1, 4);
            assertArrayEquals(new long[]{3, 16}, x.shape());
            assertEquals(DataType.FLOAT, x.dataType());
            for (int i = 0; i < 3; i++) {
                for (int f = 0; f < 16; f++) assertEquals((1 + i) * 16 + f, x.getFloat(i, f));
            }
        }
    }

    @Test
    void cnnImagesKeepChwOrder() {
        Architecture a = Architectures.byName("cnn-s3");
        ImageData d = data(4, 3, 28, 28, 10);
        INDArray x = NetworkInputs.features(a, d, 2, 4);
        assertArrayEquals(new long[]{2, 3, 28, 28}, x.shape());
        int ppi = 3 * 28 * 28;
        assertEquals(2 * ppi + 1 * 784 + 5 * 28 + 7, x.getFloat(0, 1, 5, 7));
        assertEquals(3 * ppi + 2 * 784 + 27 * 28 + 27, x.getFloat(1, 2, 27, 27));
    }

    @Test
    void labelsAreOneHot() {
        Architecture a = Architectures.byName("cnn-s");
        ImageData d = data(6, 1, 28, 28, 10);
        INDArray y = NetworkInputs.labels(a, d, 2, 6);
        assertArrayEquals(new long[]{4, 10}, y.shape());
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, y.getRow(i).sumNumber().doubleValue(), 0);
            assertEquals(1f, y.getFloat(i, d.labels()[2 + i]));
        }
        DataSet ds = NetworkInputs.dataSet(a, d, 0, 6);
        assertEquals(6, ds.numExamples());
        assertEquals(10, ds.numOutcomes());
    }

    @Test
    void minibatchOfIndexesEqualsTheSelectedImages() {
        for (String name : new String[]{"cnn-s", "tetris-mlp"}) {
            Architecture a = Architectures.byName(name);
            int[] in = a.inputShape();
            ImageData d = data(7, in[0], in[1], in[2], a.numClasses());
            int[] idx = {5, 0, 5, 6, 2};
            DataSet direct = NetworkInputs.dataSet(a, d, idx);
            DataSet viaSelect = NetworkInputs.dataSet(a, d.select(idx), 0, idx.length);
            assertEquals(viaSelect.getFeatures(), direct.getFeatures(), name);
            assertEquals(viaSelect.getLabels(), direct.getLabels(), name);
            assertThrows(IllegalArgumentException.class, () -> NetworkInputs.dataSet(a, d, new int[]{7}), name);
        }
    }

    @Test
    void featuresFeedTheNetwork() {
        Architecture a = Architectures.byName("cnn-unterthiner");
        ImageData d = data(3, 1, 28, 28, 10);
        INDArray out = ArchFixtures.network(a, ArchFixtures.factors(1))
                .output(NetworkInputs.features(a, d, 0, 3).divi(3 * 784), false);
        assertArrayEquals(new long[]{3, 10}, out.shape());
    }

    @Test
    void mismatchedImagesAreRejected() {
        Architecture a = Architectures.byName("cnn-s3");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkInputs.features(a, data(2, 3, 32, 32, 10), 0, 2));
        assertTrue(e.getMessage().contains("3x32x32") && e.getMessage().contains("3x28x28"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NetworkInputs.features(Architectures.byName("tetris-mlp"), data(2, 1, 5, 5, 4), 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> NetworkInputs.labels(Architectures.byName("tetris-mlp"), data(2, 1, 4, 4, 10), 0, 2));
    }

    @Test
    void badRangesAreRejected() {
        Architecture a = Architectures.byName("tetris-mlp");
        ImageData d = data(3, 1, 4, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> NetworkInputs.features(a, d, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> NetworkInputs.features(a, d, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> NetworkInputs.labels(a, d, -1, 2));
        assertArrayEquals(new long[]{0, 16}, NetworkInputs.features(a, d, 1, 1).shape());
    }
}
