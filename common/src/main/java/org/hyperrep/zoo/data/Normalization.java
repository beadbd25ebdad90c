package org.hyperrep.zoo.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-channel standardization {@code x → (x − mean_c) / std_c}. The statistics are fitted on the training images
 * only and the same transform is applied to validation and test images, so no information from those parts leaks
 * into training. Kept as a value so that provenance records can say which transform the models saw.
 */
public final class Normalization implements Serializable {
    private final double[] mean;
    private final double[] std;

    public Normalization(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " standard deviations");
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("standard deviations must be finite and > 0: "
                        + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * Mean and population standard deviation of each channel over all images and pixels. A constant channel gets
     * std 1 (it is only shifted) rather than a division by zero.
     */
    public static Normalization fit(ImageData data) {
        int c = data.channels();
        int plane = data.height() * data.width();
        int p = data.pixelsPerImage();
        float[] px = data.pixels();
        double[] mean = new double[c];
        double[] std = new double[c];
        long count = (long) data.size() * plane;
        if (count == 0) {
            throw new IllegalArgumentException("cannot fit a normalization on no images");
        }
        // Two passes in double: float sums over 50k MNIST images lose digits, and one-pass variance cancels.
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < data.size(); i++) {
                int base = i * p + ch * plane;
                for (int j = 0; j < plane; j++) {
                    sum += px[base + j];
                }
            }
            mean[ch] = sum / count;
            double sq = 0;
            for (int i = 0; i < data.size(); i++) {
                int base = i * p + ch * plane;
                for (int j = 0; j < plane; j++) {
                    double d = px[base + j] - mean[ch];
                    sq += d * d;
                }
            }
            double s = Math.sqrt(sq / count);
            std[ch] = s > 0 ? s : 1;
        }
        return new Normalization(mean, std);
    }

    public int channels() { return mean.length; }
    public double mean(int channel) { return mean[channel]; }
    public double std(int channel) { return std[channel]; }

    /** A standardized copy; the input is left as it is. */
    public ImageData apply(ImageData data) {
        if (data.channels() != mean.length) {
            throw new IllegalArgumentException("normalization of " + mean.length + " channels applied to images of "
                    + data.channels());
        }
        int plane = data.height() * data.width();
        int p = data.pixelsPerImage();
        float[] in = data.pixels();
        float[] out = new float[in.length];
        for (int i = 0; i < data.size(); i++) {
            for (int ch = 0; ch < mean.length; ch++) {
                int base = i * p + ch * plane;
                double m = mean[ch];
                double s = std[ch];
                for (int j = 0; j < plane; j++) {
                    out[base + j] = (float) ((in[base + j] - m) / s);
                }
            }
        }
        return new ImageData(data.channels(), data.height(), data.width(), data.numClasses(), out,
                data.labels().clone());
    }

    @Override
    public String toString() {
        return "Normalization(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
