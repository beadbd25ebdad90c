package org.hyperrep.probe;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * The ridge solutions for a whole λ grid from one eigendecomposition, for the objective MLlib's
 * {@code LinearRegression} minimizes with standardization on and elasticNetParam 0:
 * <pre>(1/2n)·‖y − Xβ − b‖² + (λ/σ_y)·½·Σ_j (σ_j β_j)²</pre>
 * with σ_j, σ_y the population standard deviations of feature j and of the label (features with σ_j = 0 get
 * β_j = 0). In standardized coordinates z_j = (x_j − μ_j)/σ_j, γ_j = σ_j β_j the solution is
 * γ(λ) = (S + λ'I)⁻¹ r with S = ZᵀZ/n, r = Zᵀ(y − ȳ)/n and λ' = λ/σ_y, so one eigendecomposition of S gives every
 * λ's solution at the cost of two matrix-vector products.
 * <ul>
 *   <li>More rows than features (<i>primal</i>): S is summed over the rows' partitions (p×p per partition) and
 *   decomposed on the driver.</li>
 *   <li>At most as many rows as features (<i>dual</i>, e.g. raw weights W of a small zoo): the n×n kernel ZZᵀ/n
 *   of the collected rows is decomposed instead, γ(λ) = Zᵀ(ZZᵀ/n + λ'I)⁻¹(y − ȳ)/n.</li>
 * </ul>
 * Matrix products and the symmetric eigensolver run in ND4J (OpenBLAS) in double precision. This is what makes
 * choosing λ cheap: {@link RidgeProbe} scores every solution on the validation split and fits only the winner with
 * MLlib, where a fit per λ (17 Spark jobs or more each) dominated the whole probe stage.
 */
final class RidgePath {
    /** One λ's solution on the features' own scale: prediction = coefficients·x + intercept. */
    record Solution(double lambda, double[] coefficients, double intercept) implements Serializable {
        double predict(Vector x) {
            double s = intercept;
            for (int j = 0; j < coefficients.length; j++) {
                if (coefficients[j] != 0) s += coefficients[j] * x.apply(j);
            }
            return s;
        }
    }

    /** Rows per ND4J block when summing the Gram matrix. */
    private static final int BLOCK_ROWS = 256;

    private RidgePath() {}

    /**
     * @param labelled rows with {@code featuresCol} (vector of size {@code numFeatures}) and
     *                 {@link Scoring#LABEL} (double); read two or three times, so cache it
     * @return one solution per λ, in the grid's order
     */
    static List<Solution> solve(Dataset<Row> labelled, String featuresCol, int numFeatures, List<Double> lambdas) {
        Dataset<Row> rows = labelled.select(col(featuresCol), col(Scoring.LABEL));
        Means means = rows.javaRDD().mapPartitions(it -> List.of(Means.of(it, numFeatures)).iterator())
                .reduce(Means::plus);
        long n = means.count;
        if (n == 0) throw new IllegalArgumentException("ridge: no train rows");
        double[] mu = means.mean();
        double yMean = means.sumY / n;
        Standardized s = n > numFeatures ? primal(rows, mu, yMean, n) : dual(rows, mu, yMean, n);

        List<Solution> solutions = new ArrayList<>();
        for (double lambda : lambdas) {
            double[] beta = new double[numFeatures];
            if (s.yStd == 0) {
                solutions.add(new Solution(lambda, beta, yMean)); // constant label: MLlib returns the mean too
                continue;
            }
            double shrink = lambda / s.yStd;
            double[] gamma = s.gamma(shrink);
            double intercept = yMean;
            for (int k = 0; k < s.active.length; k++) {
                int j = s.active[k];
                beta[j] = gamma[k] / s.std[k];
                intercept -= beta[j] * mu[j];
            }
            solutions.add(new Solution(lambda, beta, intercept));
        }
        return solutions;
    }

    /**
     * The decomposed problem in standardized coordinates over the active (non-constant) features: eigenvalues
     * {@code values} and eigenvectors {@code vectors} (columns) of S (primal) or of the kernel (dual), and the
     * right-hand side projected on them.
     */
    private record Standardized(int[] active, double[] std, double yStd, INDArray values, INDArray vectors,
                                INDArray projected, INDArray dualRows, long n) {
        /** γ for the shrinkage λ' (per standardized feature, in {@code active} order). */
        double[] gamma(double shrink) {
            INDArray scaled = projected.div(values.add(shrink));
            INDArray g = vectors.mmul(scaled);
            if (dualRows != null) g = dualRows.transpose().mmul(g).divi(n); // γ = Zᵀα
            return g.toDoubleVector();
        }
    }

    private static Standardized primal(Dataset<Row> rows, double[] mu, double yMean, long n) {
        int p = mu.length;
        CenteredMoments m = rows.javaRDD()
                .mapPartitions(it -> List.of(CenteredMoments.of(it, mu, yMean)).iterator())
                .reduce(CenteredMoments::plus);
        double[] std = new double[p];
        int[] active = activeFeatures(m.gram, p, n, std);
        int a = active.length;
        double[] activeStd = new double[a];
        double[] s = new double[a * a];
        double[] r = new double[a];
        for (int k = 0; k < a; k++) {
            int j = active[k];
            activeStd[k] = std[j];
            r[k] = m.xy[j] / n / std[j];
            for (int l = 0; l < a; l++) {
                int i = active[l];
                s[k * a + l] = m.gram[j * p + i] / n / (std[j] * std[i]);
            }
        }
        double yStd = Math.sqrt(Math.max(0, m.yy / n));
        INDArray matrix = Nd4j.create(s, new long[] {a, a}, DataType.DOUBLE);
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(matrix, true); // matrix now holds the eigenvectors
        INDArray projected = matrix.transpose().mmul(Nd4j.create(r, new long[] {a, 1}, DataType.DOUBLE));
        return new Standardized(active, activeStd, yStd, clip(values).reshape(a, 1), matrix, projected, null, n);
    }

    private static Standardized dual(Dataset<Row> rows, double[] mu, double yMean, long n) {
        int p = mu.length;
        List<Row> collected = rows.collectAsList();
        int rowCount = collected.size();
        double[] sumSquares = new double[p];
        for (Row row : collected) {
            Vector v = row.getAs(0);
            for (int j = 0; j < p; j++) {
                double d = v.apply(j) - mu[j];
                sumSquares[j] += d * d;
            }
        }
        double[] std = new double[p];
        List<Integer> activeList = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            std[j] = Math.sqrt(sumSquares[j] / n);
            if (std[j] > 0) activeList.add(j);
        }
        int[] active = activeList.stream().mapToInt(Integer::intValue).toArray();
        int a = active.length;
        double[] activeStd = new double[a];
        for (int k = 0; k < a; k++) activeStd[k] = std[active[k]];
        double[] z = new double[rowCount * a];
        double[] yc = new double[rowCount];
        double yy = 0;
        for (int i = 0; i < rowCount; i++) {
            Vector v = collected.get(i).getAs(0);
            for (int k = 0; k < a; k++) z[i * a + k] = (v.apply(active[k]) - mu[active[k]]) / activeStd[k];
            yc[i] = collected.get(i).getDouble(1) - yMean;
            yy += yc[i] * yc[i];
        }
        double yStd = Math.sqrt(yy / n);
        INDArray zm = Nd4j.create(z, new long[] {rowCount, a}, DataType.DOUBLE);
        INDArray kernel = zm.mmul(zm.transpose()).divi(n);
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(kernel, true);
        INDArray projected = kernel.transpose().mmul(Nd4j.create(yc, new long[] {rowCount, 1}, DataType.DOUBLE));
        return new Standardized(active, activeStd, yStd, clip(values).reshape(rowCount, 1), kernel, projected, zm, n);
    }

    /** Rounding can leave eigenvalues of a positive semi-definite matrix slightly below 0. */
    private static INDArray clip(INDArray values) {
        double[] v = values.toDoubleVector();
        for (int i = 0; i < v.length; i++) v[i] = Math.max(0, v[i]);
        return Nd4j.create(v, new long[] {v.length}, DataType.DOUBLE);
    }

    /** Features with a positive population variance (the diagonal of the centered Gram); fills {@code std}. */
    private static int[] activeFeatures(double[] gram, int p, long n, double[] std) {
        List<Integer> active = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            std[j] = Math.sqrt(Math.max(0, gram[j * p + j] / n));
            if (std[j] > 0) active.add(j);
        }
        return active.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Row count and sums of features and label, per partition then added. */
    private record Means(long count, double[] sumX, double sumY) implements Serializable {
        static Means of(Iterator<Row> it, int p) {
            long count = 0;
            double[] sumX = new double[p];
            double sumY = 0;
            while (it.hasNext()) {
                Row row = it.next();
                Vector v = row.getAs(0);
                if (v.size() != p) {
                    throw new IllegalArgumentException("ridge: a feature vector has " + v.size() + " values, expected " + p);
                }
                for (int j = 0; j < p; j++) sumX[j] += v.apply(j);
                sumY += row.getDouble(1);
                count++;
            }
            return new Means(count, sumX, sumY);
        }

        Means plus(Means o) {
            double[] s = sumX.clone();
            for (int j = 0; j < s.length; j++) s[j] += o.sumX[j];
            return new Means(count + o.count, s, sumY + o.sumY);
        }

        double[] mean() {
            double[] m = sumX.clone();
            for (int j = 0; j < m.length; j++) m[j] /= count;
            return m;
        }
    }

    /**
     * Sums over rows of the centered Gram (x − μ)(x − μ)ᵀ (full p×p, row-major), of (x − μ)(y − ȳ) and of
     * (y − ȳ)²; the Gram in blocks of rows by ND4J's gemm.
     */
    private record CenteredMoments(double[] gram, double[] xy, double yy) implements Serializable {
        static CenteredMoments of(Iterator<Row> it, double[] mu, double yMean) {
            int p = mu.length;
            INDArray gram = Nd4j.zeros(DataType.DOUBLE, p, p);
            double[] xy = new double[p];
            double yy = 0;
            double[] block = new double[BLOCK_ROWS * p];
            int filled = 0;
            while (it.hasNext()) {
                Row row = it.next();
                Vector v = row.getAs(0);
                double y = row.getDouble(1) - yMean;
                yy += y * y;
                int o = filled * p;
                for (int j = 0; j < p; j++) {
                    double d = v.apply(j) - mu[j];
                    block[o + j] = d;
                    xy[j] += d * y;
                }
                if (++filled == BLOCK_ROWS) {
                    addGram(gram, block, filled, p);
                    filled = 0;
                }
            }
            if (filled > 0) addGram(gram, block, filled, p);
            return new CenteredMoments(gram.data().asDouble(), xy, yy);
        }

        private static void addGram(INDArray gram, double[] block, int rows, int p) {
            double[] used = rows * p == block.length ? block : java.util.Arrays.copyOf(block, rows * p);
            INDArray b = Nd4j.create(used, new long[] {rows, p}, DataType.DOUBLE);
            gram.addi(b.transpose().mmul(b));
        }

        CenteredMoments plus(CenteredMoments o) {
            double[] g = gram.clone();
            for (int i = 0; i < g.length; i++) g[i] += o.gram[i];
            double[] x = xy.clone();
            for (int j = 0; j < x.length; j++) x[j] += o.xy[j];
            return new CenteredMoments(g, x, yy + o.yy);
        }
    }
}
