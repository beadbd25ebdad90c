package org.hyperrep.zoo;

import java.io.Serializable;

/**
 * The generating factors of one model of a zoo (docs/zoos.md): everything that, together with the architecture and
 * the data set, decides how the model is trained.
 *
 * @param seed          random seed of the initialization, data order and dropout masks
 * @param activation    tanh, relu, sigmoid, gelu
 * @param init          uniform, normal, kaiming_uniform, kaiming_normal
 * @param optimizer     adam, sgd (SGD with momentum 0.9)
 * @param learningRate  learning rate of the optimizer
 * @param weightDecay   L2 weight decay
 * @param dropout       dropout probability (0 = none)
 * @param trainFraction fraction of the training set the model sees (1 = all)
 */
public record GeneratingFactors(long seed, String activation, String init, String optimizer,
                                double learningRate, double weightDecay, double dropout,
                                double trainFraction) implements Serializable {
}
