package org.hyperrep.zoo.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Labelled images in memory: {@code size()} images of {@code channels × height × width} float pixels stored
 * image after image in CHW order, and one class label per image. Flat feature vectors (Tetris) are images of
 * height 1.
 */
public final class ImageData implements Serializable {
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;
    private final float[] pixels;
    private final int[] labels;

    public ImageData(int channels, int height, int width, int numClasses, float[] pixels, int[] labels) {
        if ((long) channels * height * width * labels.length != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " values, expected "
                    + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside 0.."
                        + (numClasses - 1));
            }
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.pixels = pixels;
        this.labels = labels;
    }

    public int size() { return labels.length; }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public int numClasses() { return numClasses; }
    public int pixelsPerImage() { return channels * height * width; }
    /** The backing array (not a copy): image i occupies [i·pixelsPerImage, (i+1)·pixelsPerImage). */
    public float[] pixels() { return pixels; }
    /** The backing array (not a copy). */
    public int[] labels() { return labels; }

    /** The images at the given indices, in that order. */
    public ImageData select(int[] indices) {
        int p = pixelsPerImage();
        float[] px = new float[indices.length * p];
        int[] lb = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * p, px, k * p, p);
            lb[k] = labels[indices[k]];
        }
        return new ImageData(channels, height, width, numClasses, px, lb);
    }

    /** The first n images. */
    public ImageData head(int n) {
        int m = Math.min(n, size());
        int p = pixelsPerImage();
        return new ImageData(channels, height, width, numClasses, Arrays.copyOf(pixels, m * p),
                Arrays.copyOf(labels, m));
    }
}
