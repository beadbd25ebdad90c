package org.hyperrep.zoo.arch;

import org.bytedeco.javacpp.FloatPointer;
import org.hyperrep.zoo.data.ImageData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Turns a slice of {@link ImageData} into the arrays an architecture's network consumes: [n, features] for dense
 * networks (an architecture whose {@link Architecture#inputShape()} is {1, 1, features}; the CHW pixels of each
 * image are flattened, so 4×4 Tetris images become 16 row-major features) and [n, c, h, w] for CNNs, plus one-hot
 * labels [n, classes]. Everything is FLOAT.
 */
public final class NetworkInputs {
    private NetworkInputs() { }

    /** Features of images [from, to). */
    public static INDArray features(Architecture arch, ImageData data, int from, int to) {
        checkRange(data, from, to);
        long[] shape = shape(arch, data, to - from);
        int perImage = data.pixelsPerImage();
        return floats(Arrays.copyOfRange(data.pixels(), from * perImage, to * perImage), shape);
    }

    /** The array shape of n images for the architecture: [n, features] or [n, c, h, w]; refuses other data. */
    private static long[] shape(Architecture arch, ImageData data, int n) {
        int[] shape = arch.inputShape();
        boolean flat = shape[0] == 1 && shape[1] == 1;
        int perImage = shape[0] * shape[1] * shape[2];
        boolean matches = flat
                ? data.pixelsPerImage() == perImage
                : data.channels() == shape[0] && data.height() == shape[1] && data.width() == shape[2];
        if (!matches) {
            throw new IllegalArgumentException(arch.name() + " takes " + (flat ? perImage + " features" :
                    shape[0] + "x" + shape[1] + "x" + shape[2] + " images") + ", the data has "
                    + data.channels() + "x" + data.height() + "x" + data.width()
                    + (flat ? "" : " (resize or convert the data set first)"));
        }
        return flat ? new long[]{n, perImage} : new long[]{n, shape[0], shape[1], shape[2]};
    }

    /** One-hot labels [to − from, classes] of images [from, to). */
    public static INDArray labels(Architecture arch, ImageData data, int from, int to) {
        checkRange(data, from, to);
        int k = classes(arch, data);
        float[] oneHot = new float[(to - from) * k];
        int[] labels = data.labels();
        for (int i = from; i < to; i++) oneHot[(i - from) * k + labels[i]] = 1f;
        return floats(oneHot, new long[]{to - from, k});
    }

    /**
     * Features and labels of the images at the given indexes, in that order, as one minibatch: the same as
     * {@code dataSet(arch, data.select(indexes), 0, indexes.length)}, with each image copied straight from the data
     * set into the minibatch's arrays (a training epoch assembles 1,563 minibatches per cnn-s model).
     */
    public static DataSet dataSet(Architecture arch, ImageData data, int[] indexes) {
        int perImage = data.pixelsPerImage(), n = indexes.length, k = classes(arch, data);
        long[] shape = shape(arch, data, n);
        INDArray features = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        float[] oneHot = new float[n * k];
        if (n > 0) {
            FloatPointer p = new FloatPointer(features.data().addressPointer());
            float[] pixels = data.pixels();
            int[] labels = data.labels();
            for (int i = 0; i < n; i++) {
                int j = indexes[i];
                if (j < 0 || j >= data.size()) throw new IllegalArgumentException("image index " + j + " outside 0.." + data.size());
                p.position((long) i * perImage).put(pixels, j * perImage, perImage);
                oneHot[i * k + labels[j]] = 1f;
            }
        }
        return new DataSet(features, floats(oneHot, new long[]{n, k}));
    }

    /** Features and labels of images [from, to) as one minibatch. */
    public static DataSet dataSet(Architecture arch, ImageData data, int from, int to) {
        return new DataSet(features(arch, data, from, to), labels(arch, data, from, to));
    }

    /** The architecture's class count; refuses data with another. */
    private static int classes(Architecture arch, ImageData data) {
        if (data.numClasses() != arch.numClasses()) {
            throw new IllegalArgumentException(arch.name() + " has " + arch.numClasses() + " classes, the data "
                    + data.numClasses());
        }
        return arch.numClasses();
    }

    /** A c-order FLOAT array holding the values, copied in one block (Nd4j.create copied them one at a time). */
    private static INDArray floats(float[] values, long[] shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (values.length > 0) FusedConvRuntime.write(values, a, values.length);
        return a;
    }

    private static void checkRange(ImageData data, int from, int to) {
        if (from < 0 || from > to || to > data.size()) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside 0.." + data.size());
        }
    }
}
