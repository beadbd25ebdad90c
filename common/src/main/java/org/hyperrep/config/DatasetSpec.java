package org.hyperrep.config;

import java.io.Serializable;

/**
 * Which data set a zoo trains on and how much of it.
 *
 * @param name           tetris, mnist, fashion-mnist, cifar10
 * @param path           directory (local path or Hadoop URI) holding the files; empty for generated data sets
 *                       and for the default location of the data set
 * @param dataFraction   fraction of each part (train, validation, test) kept, for small machines; 1 = all
 * @param validationSize images held out of the training set for validation (docs/zoos.md: 10k of 60k)
 * @param splitSeed      seed of the train/validation split and of the data fraction subsample
 * @param tetrisSamples  images generated per part for the Tetris data set (train; validation and test get a
 *                       quarter each)
 * @param tetrisNoise    σ of the Gaussian pixel noise of the Tetris data set
 */
public record DatasetSpec(String name, String path, double dataFraction, int validationSize, long splitSeed,
                          int tetrisSamples, double tetrisNoise) implements Serializable {
}
