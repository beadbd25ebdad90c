package org.hyperrep.probe;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * A linear softmax classifier for a categorical target: multinomial {@link LogisticRegression} with an L2
 * penalty (elasticNetParam 0) on standardized features (as {@link RidgeProbe}, for the same reason), one fit per
 * regParam of the grid on the train split, the best validation accuracy wins (ties: the earlier in the grid).
 * Classes are indexed in alphabetical order of the labels seen in the train split; the fitted pipeline outputs
 * the class index ({@code prediction}) and its name ({@code predicted_label}).
 */
public final class SoftmaxProbe {
    private static final Logger LOG = LoggerFactory.getLogger(SoftmaxProbe.class);

    private final List<Double> regParams;

    /** @param regParams the regParam grid, e.g. {@code ProbeConfig.logisticRegParams()} */
    public SoftmaxProbe(List<Double> regParams) {
        if (regParams.isEmpty()) throw new IllegalArgumentException("empty regParam grid");
        this.regParams = List.copyOf(regParams);
    }

    /**
     * @param train      rows to fit on: {@code featuresCol} (vector) and {@code target} (string)
     * @param validation rows that choose the regParam, same columns
     */
    public ProbeFit fit(Dataset<Row> train, Dataset<Row> validation, String featuresCol, String target) {
        ProbeTarget t = new ProbeTarget(target, ProbeTarget.Kind.CLASSIFICATION);
        Dataset<Row> rows = train.select(col(featuresCol), col(target));
        StringIndexerModel indexer = indexer(target).fit(rows);
        String[] labels = indexer.labelsArray()[0];
        Dataset<Row> labelled = Scoring.withVectorSize(indexer.transform(rows), featuresCol);
        boolean ownTrain = Scoring.persistIfNeeded(labelled);
        boolean ownValidation = Scoring.persistIfNeeded(validation);
        try {
            List<LogisticRegressionModel> models = new ArrayList<>();
            for (double reg : regParams) {
                models.add(new LogisticRegression().setFamily("multinomial")
                        .setFeaturesCol(featuresCol).setLabelCol(Scoring.LABEL).setPredictionCol(Scoring.PREDICTION)
                        .setElasticNetParam(0).setRegParam(reg).setStandardization(true).setFitIntercept(true)
                        .fit(labelled));
            }
            List<Scoring.Scored> scored = Scoring.scoreAll(models, validation, featuresCol, t, labels);
            int best = 0;
            double bestAccuracy = Double.NaN;
            for (int i = 0; i < models.size(); i++) {
                double acc = Scoring.metric(t.kind(), scored.get(i));
                LOG.debug("softmax {} regParam={}: validation accuracy {}", target, regParams.get(i), acc);
                if (i == 0 || Scoring.better(acc, bestAccuracy)) {
                    best = i;
                    bestAccuracy = acc;
                }
            }
            return new ProbeFit("softmax", t.kind(), Scoring.classificationPipeline(models.get(best), labels), labels,
                    regParams.get(best), bestAccuracy);
        } finally {
            if (ownTrain) labelled.unpersist();
            if (ownValidation) validation.unpersist();
        }
    }

    /** Class indices in alphabetical label order, so that a class's index does not depend on its frequency. */
    static StringIndexer indexer(String target) {
        return new StringIndexer().setInputCol(target).setOutputCol(Scoring.LABEL).setStringOrderType("alphabetAsc");
    }
}
