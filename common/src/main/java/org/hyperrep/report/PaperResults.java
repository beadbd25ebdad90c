package org.hyperrep.report;

import org.hyperrep.config.BadInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's linear-probe results on Unterthiner's zoos (docs/zoos.md): test R² % for the regression targets and
 * test accuracy % for the categorical ones, for the feature sets W, s(W) and E_cD.
 */
public final class PaperResults {
    /** The paper's feature sets, in the order of its figures. */
    public static final List<String> FEATURE_SETS = List.of("W", "s(W)", "E_cD");

    /** The zoos the paper reports, by their names in the paper. */
    public static final List<String> ZOOS = List.of("MNIST-Hyp", "F-MNIST-Hyp", "CIFAR10-Hyp", "SVHN-Hyp");

    // target -> one {W, s(W), E_cD} triple per zoo, in the order of ZOOS.
    private static final Map<String, double[][]> FIGURES = new LinkedHashMap<>();

    static {
        FIGURES.put(Targets.EPOCH, new double[][]{
                {25.8, 33.2, 50.0}, {26.6, 34.6, 51.3}, {25.7, 30.3, 53.3}, {22.8, 37.8, 52.6}});
        FIGURES.put(Targets.TEST_ACCURACY, new double[][]{
                {74.7, 81.5, 94.9}, {70.9, 78.5, 96.2}, {76.4, 82.9, 92.7}, {80.5, 82.1, 91.1}});
        FIGURES.put(Targets.GENERALIZATION_GAP, new double[][]{
                {23.4, 24.4, 27.4}, {48.1, 41.1, 49.0}, {37.7, 37.4, 40.4}, {38.7, 42.2, 44.2}});
        FIGURES.put(Targets.LEARNING_RATE, new double[][]{
                {29.3, 34.3, 37.1}, {33.5, 35.6, 42.4}, {27.4, 32.3, 44.7}, {24.5, 33.4, 49.1}});
        FIGURES.put(Targets.WEIGHT_DECAY, new double[][]{
                {12.5, 16.5, 20.1}, {11.9, 16.3, 25.0}, {8.7, 13.8, 28.0}, {9.0, 13.6, 28.0}});
        FIGURES.put(Targets.DROPOUT, new double[][]{
                {28.5, 19.2, 35.8}, {26.7, 21.3, 38.3}, {16.7, 16.5, 33.8}, {9.0, 14.6, 23.3}});
        FIGURES.put(Targets.TRAIN_FRACTION, new double[][]{
                {3.8, 7.8, 15.9}, {8.1, 8.2, 22.1}, {8.4, 6.9, 35.4}, {3.2, 8.8, 21.4}});
        FIGURES.put(Targets.ACTIVATION, new double[][]{
                {88.6, 81.1, 88.7}, {89.8, 82.4, 90.1}, {88.3, 80.3, 90.0}, {86.9, 78.8, 87.2}});
        FIGURES.put(Targets.INIT, new double[][]{
                {94.6, 72.0, 80.6}, {95.7, 76.5, 86.7}, {93.5, 73.3, 82.6}, {91.0, 73.0, 82.8}});
        FIGURES.put(Targets.OPTIMIZER, new double[][]{
                {76.7, 65.4, 66.4}, {79.9, 67.4, 73.0}, {74.0, 65.5, 71.0}, {72.5, 68.2, 72.3}});
    }

    private PaperResults() {}

    /**
     * The paper's name of a zoo, from a loose spelling: case, hyphens and underscores are ignored, and
     * "fashion-mnist" stands for "F-MNIST" (so "fmnist-hyp", "fashion_mnist_hyp" and "F-MNIST-Hyp" all match).
     */
    public static String zooName(String zoo) {
        String key = normalise(zoo).replace("fashionmnist", "fmnist");
        for (String z : ZOOS) {
            if (normalise(z).equals(key)) return z;
        }
        throw new BadInputException("the paper reports no zoo named '" + zoo + "'; known: " + ZOOS);
    }

    /**
     * The paper's figures for one zoo: target → feature set (see {@link #FEATURE_SETS}) → value in %. The metric is
     * {@link ResultsTable#R2} for regression targets and {@link ResultsTable#ACCURACY} for {@link Targets#CATEGORICAL}.
     */
    public static Map<String, Map<String, Double>> figures(String zoo) {
        int z = ZOOS.indexOf(zooName(zoo));
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        FIGURES.forEach((target, perZoo) -> {
            Map<String, Double> row = new LinkedHashMap<>();
            for (int f = 0; f < FEATURE_SETS.size(); f++) row.put(FEATURE_SETS.get(f), perZoo[z][f]);
            out.put(target, row);
        });
        return out;
    }

    /** The metric under which the paper reports a target. */
    public static String metricOf(String target) {
        return Targets.CATEGORICAL.contains(target) ? ResultsTable.ACCURACY : ResultsTable.R2;
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
