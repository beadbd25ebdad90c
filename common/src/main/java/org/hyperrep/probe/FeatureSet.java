package org.hyperrep.probe;

/**
 * One column of the results table: a named vector column of the checkpoint rows and the probe family fitted on
 * it. To run both families on the same features (the statistics), pass two feature sets over the same column,
 * e.g. {@code linear("stats", "tensorStats")} and {@code gbt("stats+GBT", "tensorStats")}.
 *
 * @param name   the name in results and on disk, e.g. {@code W}, {@code s(W)}, {@code E_cD}
 * @param column the vector column holding the features, e.g. {@code W}, {@code sW}, {@code embedding}
 * @param family linear (ridge for numeric targets, softmax for categorical) or gbt
 */
public record FeatureSet(String name, String column, Family family) {
    public enum Family { LINEAR, GBT }

    public FeatureSet {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a feature set needs a name");
        if (column == null || column.isBlank()) throw new IllegalArgumentException("feature set " + name + " needs a column");
        if (family == null) throw new IllegalArgumentException("feature set " + name + " needs a probe family");
    }

    public static FeatureSet linear(String name, String column) { return new FeatureSet(name, column, Family.LINEAR); }

    public static FeatureSet gbt(String name, String column) { return new FeatureSet(name, column, Family.GBT); }
}
