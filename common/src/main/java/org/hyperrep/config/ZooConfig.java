package org.hyperrep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;

import java.io.Serializable;
import java.util.List;
import java.util.stream.IntStream;

/** Everything that defines a zoo (section {@code zoo} of a config file), validated. */
public record ZooConfig(String name, String architecture, DatasetSpec dataset, FactorSpace factors,
                        TrainingSpec training, SplitSpec split, int modelsPerCommit, int populationSize)
        implements Serializable {

    public static final List<String> ARCHITECTURES = List.of("tetris-mlp", "cnn-s", "cnn-s3", "cnn-unterthiner");
    public static final List<String> DATASETS = List.of("tetris", "mnist", "fashion-mnist", "cifar10");

    public static ZooConfig from(Config c) {
        try {
            String name = required(c, "zoo.name");
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new BadInputException("zoo.name = '" + name + "': use letters, digits, '.', '_' and '-'");
            }
            String arch = oneOf(c, "zoo.architecture", ARCHITECTURES);
            DatasetSpec ds = new DatasetSpec(oneOf(c, "zoo.dataset.name", DATASETS),
                    c.getString("zoo.dataset.path"), c.getDouble("zoo.dataset.data-fraction"),
                    c.getInt("zoo.dataset.validation-size"), c.getLong("zoo.dataset.split-seed"),
                    c.getInt("zoo.dataset.tetris.samples"), c.getDouble("zoo.dataset.tetris.noise"));
            if (!(ds.dataFraction() > 0 && ds.dataFraction() <= 1)) {
                throw new BadInputException("zoo.dataset.data-fraction = " + ds.dataFraction() + ": must be in (0, 1]");
            }
            int epochs = c.getInt("zoo.training.epochs");
            List<Integer> ckpt;
            if (c.getValue("zoo.training.checkpoint-epochs").valueType() == ConfigValueType.STRING) {
                String s = c.getString("zoo.training.checkpoint-epochs");
                if (!s.equals("all")) {
                    throw new BadInputException("zoo.training.checkpoint-epochs = " + s + ": expected \"all\" or a list");
                }
                ckpt = IntStream.rangeClosed(0, epochs).boxed().toList();
            } else {
                ckpt = c.getIntList("zoo.training.checkpoint-epochs");
            }
            TrainingSpec training = new TrainingSpec(epochs, ckpt, c.getInt("zoo.training.batch-size"),
                    c.getInt("zoo.training.eval-train-max"));
            SplitSpec split = new SplitSpec(c.getDouble("zoo.split.train"), c.getDouble("zoo.split.validation"),
                    c.getDouble("zoo.split.test"), c.getLong("zoo.split.seed"));
            int perCommit = c.getInt("zoo.build.models-per-commit");
            if (perCommit <= 0) throw new BadInputException("zoo.build.models-per-commit must be > 0");
            int population = c.getInt("zoo.build.population-size");
            if (population <= 0) throw new BadInputException("zoo.build.population-size must be > 0 (1 = one model per task)");
            return new ZooConfig(name, arch, ds, FactorSpace.from(c, "zoo.factors."), training, split, perCommit,
                    population);
        } catch (ConfigException e) {
            throw new BadInputException("bad config: " + e.getMessage(), e);
        }
    }

    private static String required(Config c, String key) {
        if (!c.hasPath(key)) throw new BadInputException("config key " + key + " is required");
        return c.getString(key);
    }

    private static String oneOf(Config c, String key, List<String> allowed) {
        String v = required(c, key);
        if (!allowed.contains(v)) {
            throw new BadInputException(key + ": unknown value '" + v + "', expected one of " + allowed);
        }
        return v;
    }
}
