package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.hyperrep.zoo.GeneratingFactors;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The few DL4J layer shapes the zoo architectures are made of, so each architecture reads like its row in
 * docs/zoos.md. nIn is never set: the configuration's input type infers it.
 */
final class Layers {
    private Layers() { }

    /*
     * Convolutions are always linear; their nonlinearity is a separate activation layer (same function, same
     * parameters). Reason: with DL4J 1.0.0-M2.1's oneDNN helper and NHWC layers (LayeredArchitecture.FORMAT), a
     * convolution with a built-in ReLU computed wrong gradients (wrong by up to 3x the gradient's magnitude, for
     * its own bias and weights and everything below it), while tanh, sigmoid and gelu were right and so was ReLU
     * in an ActivationLayer. OneDnnHelpersTest and ArchitectureFormatTest check every activation.
     */

    /** A convolution without activation; {@link #activation} adds the nonlinearity where the network has one. */
    static ConvolutionLayer linearConv(String name, int filters, int kernel) {
        return new ConvolutionLayer.Builder(kernel, kernel).name(name).nOut(filters)
                .activation(Activation.IDENTITY).build();
    }

    /** A linear stride-2 convolution without padding (Keras' default 'valid'): output ⌊(in − kernel)/2⌋ + 1. */
    static ConvolutionLayer validConvStride2(String name, int filters, int kernel) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(2, 2).convolutionMode(ConvolutionMode.Truncate)
                .name(name).nOut(filters).activation(Activation.IDENTITY).build();
    }

    static SubsamplingLayer maxPool2() {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    static GlobalPoolingLayer globalAveragePool() {
        return new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
    }

    static ActivationLayer activation(GeneratingFactors factors) {
        return new ActivationLayer.Builder().activation(TrainingRecipe.activation(factors.activation())).build();
    }

    static DenseLayer dense(String name, int units, boolean bias) {
        return new DenseLayer.Builder().name(name).nOut(units).hasBias(bias).build();
    }

    /** Softmax output trained with the negative log-likelihood (multi-class cross entropy). */
    static OutputLayer softmaxOutput(String name, int classes, boolean bias) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name(name).nOut(classes)
                .activation(Activation.SOFTMAX).hasBias(bias).build();
    }

    /** Appends a dropout layer when the factors ask for one; p = 0 adds nothing. */
    static void dropout(NeuralNetConfiguration.ListBuilder list, GeneratingFactors factors) {
        if (TrainingRecipe.hasDropout(factors)) {
            list.layer(new DropoutLayer.Builder(TrainingRecipe.retainProbability(factors.dropout())).build());
        }
    }
}
