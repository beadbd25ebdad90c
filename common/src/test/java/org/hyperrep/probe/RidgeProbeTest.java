package org.hyperrep.probe;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hyperrep.LocalSpark;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.config.ProbeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which λ the validation split must pick, on cases where the answer can be argued. */
class RidgeProbeTest {
    static SparkSession spark;
    /**
     * Values of the shipped (paper's) grid, strongest first: both ends and their neighbours, where the choice is
     * closest, plus two from the middle; all 17 would only repeat the same argument at 3x the run time.
     */
    static List<Double> grid;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("ridge-test");
        List<Double> shipped = ProbeConfig.from(ConfigFiles.load(null, List.of())).ridgeLambdas();
        int n = shipped.size();
        grid = List.of(shipped.get(0), shipped.get(1), shipped.get(n / 2), shipped.get(n / 2 + 3), shipped.get(n - 2),
                shipped.get(n - 1));
        assertEquals(List.of(1e3, 3e2, 1e-1, 3e-3, 3e-5, 1e-5), grid);
    }

    @AfterAll
    static void stop() { spark.stop(); }

    private static final StructType SCHEMA = new StructType()
            .add("f", SQLDataTypes.VectorType(), false).add("y", DataTypes.DoubleType, false);

    private static Dataset<Row> frame(double[][] x, double[] y) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < y.length; i++) rows.add(RowFactory.create(Vectors.dense(x[i]), y[i]));
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static double[][] gaussian(Random rnd, int n, int p) {
        double[][] x = new double[n][p];
        for (double[] row : x) for (int j = 0; j < p; j++) row[j] = rnd.nextGaussian();
        return x;
    }

    @Test
    void noiseFreeLinearTargetPicksTheSmallestLambda() {
        // y = 1 + 2·x0 − 3·x1 + 0.5·x2 exactly. Least squares recovers it exactly; ridge's bias
        // −λ(XᵀX + λI)⁻¹w* grows with λ, and for λ far below the eigenvalues of the standardized XᵀX/n (≈ 1 for
        // independent features with n = 60 ≫ p = 3) the validation error is ≈ λ²·const: the smallest λ must win.
        Random rnd = new Random(1);
        double[][] xt = gaussian(rnd, 60, 3), xv = gaussian(rnd, 30, 3);
        ProbeFit fit = new RidgeProbe(grid).fit(frame(xt, linear(xt)), frame(xv, linear(xv)), "f", "y");
        assertEquals(1e-5, fit.chosenHyperparameter());
        assertEquals(grid.get(grid.size() - 1), fit.chosenHyperparameter(), "the smallest λ of the grid");
        assertTrue(fit.validationMetric() > 0.999999, "R² " + fit.validationMetric());
    }

    private static double[] linear(double[][] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = 1 + 2 * x[i][0] - 3 * x[i][1] + 0.5 * x[i][2];
        return y;
    }

    @Test
    void noiseTargetPicksTheLargestLambda() {
        // Train target: pure noise, so any slope is fitted noise. Validation: the same features, and a target
        // that is noise with every feature's direction (and the constant) projected out. Then the cross term
        // between the validation residual and the fitted values is 0, and the validation error is
        // ‖y_v − ȳ‖² + ‖X_c w(λ)‖², where ridge's fitted values ‖X_c w(λ)‖ shrink strictly as λ grows
        // (each singular direction by d²/(d² + λ)): the largest λ must win.
        Random rnd = new Random(2);
        int n = 40, p = 4;
        double[][] x = gaussian(rnd, n, p);
        double[] yt = new double[n], yv = new double[n];
        for (int i = 0; i < n; i++) {
            yt[i] = rnd.nextGaussian();
            yv[i] = rnd.nextGaussian();
        }
        yv = orthogonalToFeatures(x, yv);
        for (int i = 0; i < n; i++) yv[i] += 0.3; // a constant off the train mean changes every λ's error alike
        ProbeFit fit = new RidgeProbe(grid).fit(frame(x, yt), frame(x, yv), "f", "y");
        assertEquals(1e3, fit.chosenHyperparameter());
        assertTrue(fit.validationMetric() < 0, "predicting a train mean off the validation mean: R² < 0");
    }

    /** y minus its least-squares projection on [1, x_0 … x_{p−1}] (Gram–Schmidt on the columns). */
    private static double[] orthogonalToFeatures(double[][] x, double[] y) {
        int n = y.length, p = x[0].length;
        List<double[]> basis = new ArrayList<>();
        for (int j = -1; j < p; j++) {
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = j < 0 ? 1 : x[i][j];
            for (double[] b : basis) subtractProjection(c, b);
            double norm = Math.sqrt(dot(c, c));
            for (int i = 0; i < n; i++) c[i] /= norm;
            basis.add(c);
        }
        double[] r = y.clone();
        for (double[] b : basis) subtractProjection(r, b);
        for (int j = 0; j < p; j++) {
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = x[i][j];
            assertEquals(0, dot(r, c), 1e-9, "orthogonal to feature " + j);
        }
        return r;
    }

    private static void subtractProjection(double[] v, double[] unit) {
        double d = dot(v, unit);
        for (int i = 0; i < v.length; i++) v[i] -= d * unit[i];
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void pathEqualsMllibFitsWithMoreRowsThanFeatures() {
        // primal: the p×p standardized Gram; one constant feature (MLlib gives it coefficient 0), scales far apart
        assertPathMatchesMllib(80, 5, 11);
    }

    @Test
    void pathEqualsMllibFitsWithFewerRowsThanFeatures() {
        // dual: the n×n kernel, as for raw weights of a small zoo
        assertPathMatchesMllib(12, 30, 12);
    }

    /**
     * Every λ's coefficients and intercept from one eigendecomposition equal MLlib's normal-equation fit at that
     * λ (the objective RidgeProbe relies on for choosing λ, and the model it then fits).
     */
    private static void assertPathMatchesMllib(int n, int p, long seed) {
        Random rnd = new Random(seed);
        double[][] x = gaussian(rnd, n, p);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][1] = 7.0; // constant
            x[i][2] = 1e-3 * x[i][2] + 5; // small spread around a large mean
            x[i][3] *= 40;
            y[i] = 3 + x[i][0] - 2e3 * (x[i][2] - 5) + 0.05 * x[i][3] + 0.5 * rnd.nextGaussian();
        }
        Dataset<Row> rows = frame(x, y).withColumnRenamed("y", Scoring.LABEL).cache();
        List<Double> lambdas = List.of(10.0, 0.3, 0.01);
        List<RidgePath.Solution> path = RidgePath.solve(rows, "f", p, lambdas);
        for (int k = 0; k < lambdas.size(); k++) {
            org.apache.spark.ml.regression.LinearRegressionModel m = new org.apache.spark.ml.regression.LinearRegression()
                    .setFeaturesCol("f").setLabelCol(Scoring.LABEL).setElasticNetParam(0).setStandardization(true)
                    .setRegParam(lambdas.get(k)).setSolver("normal").fit(rows);
            RidgePath.Solution s = path.get(k);
            assertEquals(lambdas.get(k), s.lambda());
            assertEquals(0.0, s.coefficients()[1], "a constant feature gets no weight");
            double[] expected = m.coefficients().toArray();
            // 1e-5 relative: with fewer rows than features MLlib solves a p×p system of rank n plus λ'I by Cholesky,
            // whose rounding grows as 1/λ' (seen: 1e-6 relative at λ = 0.01)
            for (int j = 0; j < p; j++) {
                assertEquals(expected[j], s.coefficients()[j], 1e-5 * (1 + Math.abs(expected[j])),
                        "λ " + lambdas.get(k) + ", coefficient " + j);
            }
            assertEquals(m.intercept(), s.intercept(), 1e-5 * (1 + Math.abs(m.intercept())), "λ " + lambdas.get(k));
        }
        rows.unpersist();
    }

    @Test
    void solverSwitchesAtMllibsNormalEquationLimit() {
        assertEquals("normal", RidgeProbe.solverFor(4096));
        assertEquals("l-bfgs", RidgeProbe.solverFor(4097));
    }
}
