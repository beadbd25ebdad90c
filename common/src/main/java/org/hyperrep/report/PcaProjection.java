package org.hyperrep.report;

/**
 * Embeddings projected onto their first two principal components, with what each point is coloured by.
 *
 * @param name                   what was embedded (e.g. the encoder's name), for titles and file names
 * @param x                      first principal component, centred on the mean of the projected points
 * @param y                      second principal component, centred likewise (all 0 if the embedding has one dimension)
 * @param testAccuracy           the checkpoint's test accuracy, per point
 * @param epoch                  the checkpoint's epoch, per point
 * @param explainedVarianceRatio the share of the total variance along each of the two components
 */
public record PcaProjection(String name, double[] x, double[] y, double[] testAccuracy, double[] epoch,
                            double[] explainedVarianceRatio) {
    public PcaProjection {
        int n = x.length;
        if (y.length != n || testAccuracy.length != n || epoch.length != n) {
            throw new IllegalArgumentException("PCA projection " + name + ": columns of different lengths");
        }
    }

    public int size() { return x.length; }
}
