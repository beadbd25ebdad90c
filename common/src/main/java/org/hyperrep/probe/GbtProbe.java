package org.hyperrep.probe;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.OneVsRest;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.hyperrep.config.ProbeConfig;

import static org.apache.spark.sql.functions.col;

/**
 * Gradient-boosted trees, the strongest simple baseline on Unterthiner's statistics (docs/method.md):
 * {@link GBTRegressor} for numeric targets; for categorical ones {@link GBTClassifier} when there are two classes
 * and {@link OneVsRest} over it for more (MLlib's GBT is binary). Fixed hyper-parameters from the config (no
 * search): fitted on the train split, the validation metric is only reported. Trees need no standardization.
 */
public final class GbtProbe {
    private final ProbeConfig.Gbt settings;
    private final long seed;

    public GbtProbe(ProbeConfig.Gbt settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    /**
     * @param train      rows to fit on: {@code featuresCol} (vector) and {@code target} (numeric or string)
     * @param validation rows the fitted model is scored on, same columns
     * @param kind       whether the target is numeric (regression) or categorical (classification)
     */
    public ProbeFit fit(Dataset<Row> train, Dataset<Row> validation, String featuresCol, String target,
                        ProbeTarget.Kind kind) {
        ProbeTarget t = new ProbeTarget(target, kind);
        Dataset<Row> labelled;
        String[] labels = null;
        if (kind == ProbeTarget.Kind.REGRESSION) {
            labelled = train.select(col(featuresCol), col(target).cast("double").alias(Scoring.LABEL));
        } else {
            Dataset<Row> rows = train.select(col(featuresCol), col(target));
            StringIndexerModel indexer = SoftmaxProbe.indexer(target).fit(rows);
            labels = indexer.labelsArray()[0];
            labelled = indexer.transform(rows);
        }
        labelled = Scoring.withVectorSize(labelled, featuresCol);
        // Boosting scans the rows once per tree.
        boolean ownTrain = Scoring.persistIfNeeded(labelled);
        try {
            PipelineModel p;
            if (kind == ProbeTarget.Kind.REGRESSION) {
                p = Scoring.regressionPipeline(new GBTRegressor().setFeaturesCol(featuresCol).setLabelCol(Scoring.LABEL)
                        .setPredictionCol(Scoring.PREDICTION).setMaxIter(settings.maxIter())
                        .setMaxDepth(settings.maxDepth()).setStepSize(settings.stepSize()).setSeed(seed).fit(labelled));
            } else {
                GBTClassifier gbt = new GBTClassifier().setFeaturesCol(featuresCol).setLabelCol(Scoring.LABEL)
                        .setPredictionCol(Scoring.PREDICTION).setMaxIter(settings.maxIter())
                        .setMaxDepth(settings.maxDepth()).setStepSize(settings.stepSize()).setSeed(seed);
                Transformer m = labels.length <= 2 ? gbt.fit(labelled)
                        : new OneVsRest().setClassifier(gbt).setFeaturesCol(featuresCol).setLabelCol(Scoring.LABEL)
                                .setPredictionCol(Scoring.PREDICTION).fit(labelled);
                p = Scoring.classificationPipeline(m, labels);
            }
            double metric = Scoring.metric(kind, Scoring.score(p, validation, featuresCol, t, labels, false));
            return new ProbeFit("gbt", kind, p, labels, null, metric);
        } finally {
            if (ownTrain) labelled.unpersist();
        }
    }
}
