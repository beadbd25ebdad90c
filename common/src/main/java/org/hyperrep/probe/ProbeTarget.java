package org.hyperrep.probe;

/**
 * A characteristic that probes predict: a column of the checkpoint table.
 *
 * @param name the column, e.g. {@code test_accuracy} or {@code activation}
 * @param kind regression (numeric column, scored by R²) or classification (string column, scored by accuracy)
 */
public record ProbeTarget(String name, Kind kind) {
    public enum Kind {
        REGRESSION, CLASSIFICATION;

        /** The lower-case name used in result tables: {@code regression}, {@code classification}. */
        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
