package org.hyperrep.probe;

import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Ridge regression with intercept (MLlib {@link LinearRegression}, elasticNetParam 0) for a numeric target: λ from
 * the grid with the best validation R² (ties: the earlier in the grid, so list the grid from strong to weak
 * regularization to prefer the simpler model), then one MLlib fit at that λ on the train split.
 * <p><b>Choosing λ:</b> every λ's exact solution of MLlib's objective comes from one eigendecomposition
 * ({@link RidgePath}), and all of them are scored on the validation split in one pass. Fitting MLlib once per λ
 * gave the same choice (a test compares both) at 17 times the Spark jobs, which dominated the probe stage.
 * <p><b>Standardization is on</b> (MLlib's default): each feature is scaled to unit variance before the penalty
 * applies and the coefficients are mapped back, so predictions are in the target's own units. The paper used
 * sklearn's {@code Ridge} on raw features; we do not, because our feature sets mix scales that differ by orders of
 * magnitude (s(W) holds means near 0 next to variances near 1e-4; W mixes layers of different fan-in), and an
 * unscaled penalty would effectively switch off the small-scale features whatever λ is. With standardization one
 * grid serves every feature set. MLlib's objective is (1/2n)·‖y − Xw − b‖² + (λ/2)·‖w‖² on standardized X (and
 * a standardized label), i.e. its λ is roughly sklearn's α / n: the same 17 values span "nearly the mean" (1e3)
 * to "nearly least squares" (1e-5) either way, which is what the selection needs.
 * <p>Solver of the final fit: {@code normal} (exact) up to {@value #NORMAL_SOLVER_MAX_FEATURES} features, the
 * most MLlib's normal equations accept, {@code l-bfgs} above (W of the larger CNN zoos).
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

    /** Row 0: the validation truth; row i + 1: solution i's predictions. One Spark job. */
    private static double[][] predictAll(List<RidgePath.Solution> path, Dataset<Row> validation, String featuresCol,
                                         String target) {
        List<double[]> rows = validation.select(col(featuresCol), col(target).cast("double")).javaRDD()
                .map(r -> {
                    Vector x = r.getAs(0);
                    double[] out = new double[path.size() + 1];
                    out[0] = r.getDouble(1);
                    for (int i = 0; i < path.size(); i++) out[i + 1] = path.get(i).predict(x);
                    return out;
                }).collect();
        double[][] byColumn = new double[path.size() + 1][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int i = 0; i < byColumn.length; i++) byColumn[i][r] = rows.get(r)[i];
        }
        return byColumn;
    }

    /**
     * @param train       rows to fit on: {@code featuresCol} (vector) and {@code target} (numeric)
     * @param validation  rows that choose λ, same columns
     * @return the MLlib model of the winning λ (fitted on train only), the λ and its validation R²
     */
    public ProbeFit fit(Dataset<Row> train, Dataset<Row> validation, String featuresCol, String target) {
        ProbeTarget t = new ProbeTarget(target, ProbeTarget.Kind.REGRESSION);
        Dataset<Row> labelled = Scoring.withVectorSize(
                train.select(col(featuresCol), col(target).cast("double").alias(Scoring.LABEL)), featuresCol);
        boolean ownTrain = Scoring.persistIfNeeded(labelled);
        boolean ownValidation = Scoring.persistIfNeeded(validation);
        try {
            int numFeatures = Scoring.vectorSize(labelled, featuresCol);
            List<RidgePath.Solution> path = RidgePath.solve(labelled, featuresCol, numFeatures, lambdas);
            double[][] predictions = predictAll(path, validation, featuresCol, target);
            double[] truth = predictions[0];
            int best = 0;
            double bestR2 = Double.NaN;
            for (int i = 0; i < path.size(); i++) {
                double r2 = Metrics.r2(truth, predictions[i + 1]);
                LOG.debug("ridge {} λ={}: validation R² {}", target, lambdas.get(i), r2);
                if (i == 0 || Scoring.better(r2, bestR2)) {
                    best = i;
                    bestR2 = r2;
                }
            }
            double lambda = lambdas.get(best);
            LinearRegressionModel model = new LinearRegression().setFeaturesCol(featuresCol).setLabelCol(Scoring.LABEL)
                    .setPredictionCol(Scoring.PREDICTION).setElasticNetParam(0).setFitIntercept(true)
                    .setStandardization(true).setRegParam(lambda).setSolver(solverFor(numFeatures)).fit(labelled);
            double r2 = Scoring.metric(t.kind(), Scoring.scoreAll(List.of(model), validation, featuresCol, t, null).get(0));
            LOG.debug("ridge {}: λ={} chosen, validation R² {} (path {})", target, lambda, r2, bestR2);
            return new ProbeFit("ridge", t.kind(), Scoring.regressionPipeline(model), null, lambda, r2);
        } finally {
            if (ownTrain) labelled.unpersist();
            if (ownValidation) validation.unpersist();
        }
    }
}
