package org.hyperrep.config;

import java.io.Serializable;

/** Fractions of models in the train, validation and test splits, and the seed of the split hash. */
public record SplitSpec(double train, double validation, double test, long seed) implements Serializable {
    public SplitSpec {
        if (train < 0 || validation < 0 || test < 0 || Math.abs(train + validation + test - 1) > 1e-9) {
            throw new BadInputException("zoo.split: train + validation + test must be 1 (got " + train + " + "
                    + validation + " + " + test + ")");
        }
    }
}
