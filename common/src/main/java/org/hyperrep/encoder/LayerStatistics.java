package org.hyperrep.encoder;

import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;

import java.io.Serializable;
import java.util.List;

/**
 * Mean and standard deviation of each zoo layer's entries (weights and bias together) over a set of canonical
 * weight vectors, the training split's: what input standardization and the per-layer reconstruction loss need.
 *
 * @param mean per layout layer; null when only the stds are known
 * @param std  per layout layer
 */
public record LayerStatistics(double[] mean, double[] std) implements Serializable {

    /** Stds alone (the per-layer reconstruction loss needs no means); null for null. */
    static LayerStatistics ofStd(double[] std) {
        return std == null ? null : new LayerStatistics(null, std);
    }

    /** The statistics of the rows' layers, in double precision. */
    public static LayerStatistics of(WeightLayout layout, List<float[]> rows) {
        List<LayerLayout> layers = layout.layers();
        double[] mean = new double[layers.size()], std = new double[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            LayerLayout ll = layers.get(l);
            double sum = 0, sumSq = 0;
            long n = 0;
            for (float[] w : rows) {
                if (w.length != layout.size()) {
                    throw new IllegalArgumentException("a weight vector of " + w.length + " values; the layout has " + layout.size());
                }
                for (int j = ll.offset(); j < ll.end(); j++) {
                    sum += w[j];
                    sumSq += (double) w[j] * w[j];
                }
                n += ll.parameterCount();
            }
            mean[l] = sum / n;
            std[l] = Math.sqrt(Math.max(0, sumSq / n - mean[l] * mean[l]));
        }
        return new LayerStatistics(mean, std);
    }
}
