package org.hyperrep.probe;

import org.apache.spark.ml.PipelineModel;

/**
 * A probe fitted on the train split, with its hyper-parameter chosen on the validation split.
 *
 * @param model                 {@code ridge}, {@code softmax} or {@code gbt}
 * @param kind                  regression or classification
 * @param pipeline              features column → {@code prediction} (double; a class index for classification)
 *                              and, for classification, {@code predicted_label} (string)
 * @param labels                class names by index (classification), null for regression
 * @param chosenHyperparameter  the regParam picked on validation; null when nothing was chosen (gbt)
 * @param validationMetric      validation R² or accuracy of the chosen model, as a fraction (not %)
 */
public record ProbeFit(String model, ProbeTarget.Kind kind, PipelineModel pipeline, String[] labels,
                       Double chosenHyperparameter, double validationMetric) {
}
