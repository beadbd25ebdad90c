package org.hyperrep.probe;

import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Ridge regression with intercept (MLlib {@link LinearRegression}, elasticNetParam 0) for a numeric target: one
 * fit per λ of the grid on the train split, the λ with the best validation R² wins (ties: the earlier in the
 * grid, so list the grid from strong to weak regularization to prefer the simpler model).
 * <p><b>Standardization is on</b> (MLlib's default): each feature is scaled to unit variance before the penalty
 * applies and the coefficients are mapped back, so predictions are in the target's own units. The paper used
 * sklearn's {@code Ridge} on raw features; we do not, because our feature sets mix scales that differ by orders of
 * magnitude (s(W) holds means near 0 next to variances near 1e-4; W mixes layers of different fan-in), and an
 * unscaled penalty would effectively switch off the small-scale features whatever λ is. With standardization one
 * grid serves every feature set. MLlib's objective is (1/2n)·‖y − Xw − b‖² + (λ/2)·‖w‖² on standardized X (and,
 * in the normal solver, a standardized label), i.e. its λ is roughly sklearn's α / n: the same 17 values span
 * "nearly the mean" (1e3) to "nearly least squares" (1e-5) either way, which is what the selection needs.
 * <p>Solver: {@code normal} (exact, one pass per λ) up to {@value #NORMAL_SOLVER_MAX_FEATURES} features, the most
 * MLlib's normal equations accept, {@code l-bfgs} above (W of the CNN zoos).
 * The train and validation rows are cached for the duration of the search unless the caller has cached them.
 */
public final class RidgeProbe {
    /** MLlib's WeightedLeastSquares refuses more features than this. */
    public static final int NORMAL_SOLVER_MAX_FEATURES = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(RidgeProbe.class);

    private final List<Double> lambdas;

    /** @param lambdas the regParam grid, e.g. {@code ProbeConfig.ridgeLambdas()} */
    public RidgeProbe(List<Double> lambdas) {
        if (lambdas.isEmpty()) throw new IllegalArgumentException("empty λ grid");
        this.lambdas = List.copyOf(lambdas);
    }

    /** The solver for a feature count. */
    public static String solverFor(int numFeatures) {
        return numFeatures <= NORMAL_SOLVER_MAX_FEATURES ? "normal" : "l-bfgs";
    }

    /**
     * @param train       rows to fit on: {@code featuresCol} (vector) and {@code target} (numeric)
     * @param validation  rows that choose λ, same columns
     * @return the model of the winning λ (each λ is fitted once, on train only), the λ and its validation R²
     */
    public ProbeFit fit(Dataset<Row> train, Dataset<Row> validation, String featuresCol, String target) {
        ProbeTarget t = new ProbeTarget(target, ProbeTarget.Kind.REGRESSION);
        Dataset<Row> labelled = Scoring.withVectorSize(
                train.select(col(featuresCol), col(target).cast("double").alias(Scoring.LABEL)), featuresCol);
        boolean ownTrain = Scoring.persistIfNeeded(labelled);
        boolean ownValidation = Scoring.persistIfNeeded(validation);
        try {
            String solver = solverFor(Scoring.vectorSize(labelled, featuresCol));
            List<LinearRegressionModel> models = new ArrayList<>();
            for (double lambda : lambdas) {
                models.add(new LinearRegression().setFeaturesCol(featuresCol).setLabelCol(Scoring.LABEL)
                        .setPredictionCol(Scoring.PREDICTION).setElasticNetParam(0).setFitIntercept(true)
                        .setStandardization(true).setRegParam(lambda).setSolver(solver).fit(labelled));
            }
            List<Scoring.Scored> scored = Scoring.scoreAll(models, validation, featuresCol, t, null);
            int best = 0;
            double bestR2 = Double.NaN;
            for (int i = 0; i < models.size(); i++) {
                double r2 = Scoring.metric(t.kind(), scored.get(i));
                LOG.debug("ridge {} λ={}: validation R² {}", target, lambdas.get(i), r2);
                if (i == 0 || Scoring.better(r2, bestR2)) {
                    best = i;
                    bestR2 = r2;
                }
            }
            return new ProbeFit("ridge", t.kind(), Scoring.regressionPipeline(models.get(best)), null,
                    lambdas.get(best), bestR2);
        } finally {
            if (ownTrain) labelled.unpersist();
            if (ownValidation) validation.unpersist();
        }
    }
}
