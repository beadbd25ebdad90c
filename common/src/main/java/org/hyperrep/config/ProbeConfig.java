package org.hyperrep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code probe} section of a config: the hyper-parameter grids of the linear probes, the fixed settings of
 * the gradient-boosted trees, and how many train rows are used.
 *
 * @param ridgeLambdas      ridge regParams tried per regression target (best validation R² wins)
 * @param logisticRegParams logistic-regression regParams tried per categorical target (best validation accuracy)
 * @param gbt               gradient-boosted trees settings
 * @param maxTrainRows      at most this many train rows are fitted on (0 = all)
 * @param seed              seed of the train-row subsample and the tree learners
 * @param parallelism       probes fitted at once, each from its own driver thread (0 = Spark's default parallelism)
 * @param families          probe families fitted on every feature set: linear, gbt (like for like: each feature
 *                          set with both)
 * @param concatenateStatistics also probe every embedding concatenated with s(W) (E ⊕ s(W))
 * @param targets           the targets probed (empty: every target that varies in the zoo)
 */
public record ProbeConfig(List<Double> ridgeLambdas, List<Double> logisticRegParams, Gbt gbt, long maxTrainRows,
                          long seed, int parallelism, List<String> families, boolean concatenateStatistics,
                          List<String> targets) implements Serializable {

    public static final String LINEAR = "linear", GBT = "gbt";
    public static final List<String> FAMILIES = List.of(LINEAR, GBT);

    /** Gradient-boosted trees settings (MLlib's maxIter, maxDepth, stepSize). */
    public record Gbt(int maxIter, int maxDepth, double stepSize) implements Serializable {
    }

    public ProbeConfig {
        ridgeLambdas = List.copyOf(ridgeLambdas);
        logisticRegParams = List.copyOf(logisticRegParams);
        families = List.copyOf(families);
        targets = List.copyOf(targets);
    }

    public boolean fits(String family) { return families.contains(family); }

    public static ProbeConfig from(Config c) {
        try {
            List<Double> lambdas = grid(c, "probe.ridge-lambdas");
            List<Double> logistic = grid(c, "probe.logistic-reg-params");
            Gbt gbt = new Gbt(c.getInt("probe.gbt.max-iter"), c.getInt("probe.gbt.max-depth"),
                    c.getDouble("probe.gbt.step-size"));
            if (gbt.maxIter() < 1) throw new BadInputException("probe.gbt.max-iter = " + gbt.maxIter() + ": must be >= 1");
            // MLlib refuses trees deeper than 30
            if (gbt.maxDepth() < 1 || gbt.maxDepth() > 30) {
                throw new BadInputException("probe.gbt.max-depth = " + gbt.maxDepth() + ": must be in [1, 30]");
            }
            if (!(gbt.stepSize() > 0 && gbt.stepSize() <= 1)) {
                throw new BadInputException("probe.gbt.step-size = " + gbt.stepSize() + ": must be in (0, 1]");
            }
            long maxRows = c.getLong("probe.max-train-rows");
            if (maxRows < 0) throw new BadInputException("probe.max-train-rows = " + maxRows + ": must be >= 0 (0 = all)");
            int parallelism = c.getInt("probe.parallelism");
            if (parallelism < 0) {
                throw new BadInputException("probe.parallelism = " + parallelism + ": must be >= 0 (0 = Spark's default parallelism)");
            }
            List<String> families = c.getStringList("probe.families");
            if (families.isEmpty() || !FAMILIES.containsAll(families)) {
                throw new BadInputException("probe.families = " + families + ": a non-empty list of " + FAMILIES);
            }
            return new ProbeConfig(lambdas, logistic, gbt, maxRows, c.getLong("probe.seed"), parallelism, families,
                    c.getBoolean("probe.concatenate-statistics"), c.getStringList("probe.targets"));
        } catch (ConfigException e) {
            throw new BadInputException("bad probe config: " + e.getMessage(), e);
        }
    }

    private static List<Double> grid(Config c, String key) {
        List<Double> values = c.getDoubleList(key);
        if (values.isEmpty()) throw new BadInputException(key + " is empty: give at least one value");
        for (double v : values) {
            if (!(v >= 0) || Double.isInfinite(v)) throw new BadInputException(key + " contains " + v + ": values must be >= 0");
        }
        return values;
    }
}
