package org.hyperrep.probe;

/**
 * One cell of the results table: how well one probe predicts one target from one feature set.
 *
 * @param target               the checkpoint column predicted, e.g. {@code test_accuracy}
 * @param kind                 {@code regression} or {@code classification}
 * @param featureSet           the feature set's name, e.g. {@code s(W)}
 * @param model                {@code ridge}, {@code softmax} or {@code gbt}
 * @param testMetric           test R² in % (regression) or test accuracy in % (classification); NaN if undefined
 * @param validationMetric     the same on the validation split, in %
 * @param chosenHyperparameter the regParam chosen on validation; null for gbt
 * @param kendallTau           Kendall's τ-b between true and predicted test values, for {@code test_accuracy}
 *                             only, else null
 * @param trainRows            rows the probe was fitted on
 * @param testRows             rows it was scored on
 * @param fitSeconds           wall time of fitting, hyper-parameter search included
 */
public record ProbeResult(String target, String kind, String featureSet, String model, double testMetric,
                          double validationMetric, Double chosenHyperparameter, Double kendallTau, long trainRows,
                          long testRows, double fitSeconds) {
}
