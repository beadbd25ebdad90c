package org.hyperrep.zoo.data;

import java.io.Serializable;

/**
 * The three parts of a data set that every model of a zoo sees: training images, validation images (held out of
 * the training set with a fixed seed) and test images.
 */
public record ZooData(String name, ImageData train, ImageData validation, ImageData test) implements Serializable {
}
