package org.hyperrep.zoo;

import java.io.Serializable;

/** One recorded checkpoint of a model: the epoch (0 = initialization), its status, metrics and canonical weights. */
public record Checkpoint(int epoch, Status status, Metrics metrics, float[] weights) implements Serializable {

    /** ok: finite weights and loss; diverged: NaN or Inf appeared (kept as a real member of the zoo). */
    public enum Status {
        OK("ok"), DIVERGED("diverged");

        private final String label;

        Status(String label) { this.label = label; }

        public String label() { return label; }
    }

    /** Accuracy in [0, 1] and mean cross-entropy loss on each part of the data set. */
    public record Metrics(double trainAccuracy, double trainLoss, double validationAccuracy, double validationLoss,
                          double testAccuracy, double testLoss) implements Serializable {
        public static final Metrics NAN = new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN);

        public boolean isFinite() {
            return Double.isFinite(trainLoss) && Double.isFinite(validationLoss) && Double.isFinite(testLoss);
        }
    }
}
