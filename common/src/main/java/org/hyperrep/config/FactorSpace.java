package org.hyperrep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;

import java.io.Serializable;
import java.util.List;

/**
 * The space of generating factors a zoo samples from (docs/zoos.md): for each factor a list of values, or for
 * numeric factors in random sampling a range. {@code grid} trains every combination for every seed; {@code random}
 * draws {@code randomCount} combinations, each for every seed. Draw i depends only on (randomSeed, i), so raising
 * the count keeps the earlier models.
 */
public record FactorSpace(String sampling, int randomCount, long randomSeed, List<Long> seeds,
                          List<String> activation, List<String> init, List<String> optimizer,
                          NumericFactor learningRate, NumericFactor weightDecay, NumericFactor dropout,
                          NumericFactor trainFraction) implements Serializable {

    public static final List<String> ACTIVATIONS = List.of("tanh", "relu", "sigmoid", "gelu");
    public static final List<String> INITS = List.of("uniform", "normal", "kaiming_uniform", "kaiming_normal");
    public static final List<String> OPTIMIZERS = List.of("adam", "sgd");

    /** A numeric factor: explicit values, or a range {min, max, log} for random sampling. */
    public record NumericFactor(List<Double> values, double min, double max, boolean log) implements Serializable {
        public boolean isRange() { return values == null; }

        public double draw(java.util.Random rng) {
            if (!isRange()) return values.get(rng.nextInt(values.size()));
            double u = rng.nextDouble();
            return log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
        }
    }

    static FactorSpace from(Config c, String prefix) {
        String sampling = c.getString(prefix + "sampling");
        if (!sampling.equals("grid") && !sampling.equals("random")) {
            throw new BadInputException(prefix + "sampling = " + sampling + ": expected grid or random");
        }
        List<Long> seeds = seeds(c, prefix + "seeds");
        if (seeds.isEmpty()) throw new BadInputException(prefix + "seeds is empty");
        FactorSpace f = new FactorSpace(sampling, c.getInt(prefix + "random-count"), c.getLong(prefix + "random-seed"),
                seeds,
                names(c, prefix + "activation", ACTIVATIONS), names(c, prefix + "init", INITS),
                names(c, prefix + "optimizer", OPTIMIZERS),
                numeric(c, prefix + "learning-rate", 0, Double.MAX_VALUE, false),
                numeric(c, prefix + "weight-decay", 0, Double.MAX_VALUE, true),
                numeric(c, prefix + "dropout", 0, 1, true),
                numeric(c, prefix + "train-fraction", 0, 1, false));
        if (sampling.equals("grid")) {
            for (var n : List.of(f.learningRate, f.weightDecay, f.dropout, f.trainFraction)) {
                if (n.isRange()) throw new BadInputException(prefix + ": ranges {min, max} need sampling = random");
            }
        } else if (f.randomCount <= 0) {
            throw new BadInputException(prefix + "random-count must be > 0 when sampling = random");
        }
        return f;
    }

    /** A list of seeds, or {from, to} for every seed in that inclusive range. */
    private static List<Long> seeds(Config c, String key) {
        try {
            if (c.getValue(key).valueType() == ConfigValueType.OBJECT) {
                long from = c.getLong(key + ".from");
                long to = c.getLong(key + ".to");
                if (to < from) throw new BadInputException(key + ": to " + to + " < from " + from);
                if (to - from >= 10_000_000) throw new BadInputException(key + ": more than 10 million seeds");
                return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
            }
            return c.getLongList(key);
        } catch (ConfigException e) {
            throw new BadInputException(key + ": " + e.getMessage(), e);
        }
    }

    private static List<String> names(Config c, String key, List<String> allowed) {
        List<String> v = c.getStringList(key);
        if (v.isEmpty()) throw new BadInputException(key + " is empty");
        for (String s : v) {
            if (!allowed.contains(s)) throw new BadInputException(key + ": unknown value '" + s + "', expected one of " + allowed);
        }
        return List.copyOf(v);
    }

    /** Values must lie in [lo, hi] (lo exclusive unless zeroAllowed; hi exclusive for dropout). */
    private static NumericFactor numeric(Config c, String key, double lo, double hi, boolean zeroAllowed) {
        NumericFactor n;
        try {
            if (c.getValue(key).valueType() == ConfigValueType.OBJECT) {
                Config r = c.getConfig(key);
                n = new NumericFactor(null, r.getDouble("min"), r.getDouble("max"),
                        r.hasPath("log") && r.getBoolean("log"));
                if (n.min() > n.max()) throw new BadInputException(key + ": min " + n.min() + " > max " + n.max());
                if (n.log() && n.min() <= 0) throw new BadInputException(key + ": log range needs min > 0");
                check(key, n.min(), lo, hi, zeroAllowed);
                check(key, n.max(), lo, hi, zeroAllowed);
            } else {
                n = new NumericFactor(List.copyOf(c.getDoubleList(key)), 0, 0, false);
                if (n.values().isEmpty()) throw new BadInputException(key + " is empty");
                for (double d : n.values()) check(key, d, lo, hi, zeroAllowed);
            }
        } catch (ConfigException e) {
            throw new BadInputException(key + ": " + e.getMessage(), e);
        }
        return n;
    }

    private static void check(String key, double v, double lo, double hi, boolean zeroAllowed) {
        boolean ok = Double.isFinite(v) && (zeroAllowed ? v >= lo : v > lo) && v <= hi;
        if (key.endsWith("dropout")) ok = ok && v < 1;
        if (!ok) throw new BadInputException(key + ": value " + v + " is out of range");
    }
}
