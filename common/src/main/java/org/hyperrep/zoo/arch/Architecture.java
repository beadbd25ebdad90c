package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.GeneratingFactors;

import java.io.Serializable;

/**
 * A zoo architecture (docs/zoos.md): how to build the DL4J network for given generating factors, and how its
 * parameters map to and from the canonical weight vector (docs/method.md).
 */
public interface Architecture extends Serializable {

    /** The name used in configs and manifests, e.g. {@code cnn-s}. */
    String name();

    /** Input shape of one sample: {channels, height, width}; flat inputs are {1, 1, features}. */
    int[] inputShape();

    int numClasses();

    /** Exact parameter count; equals {@code layout().size()}. */
    default int parameterCount() { return layout().size(); }

    WeightLayout layout();

    /**
     * The DL4J configuration for a model with these factors: activation, weight init, dropout, optimizer with its
     * learning rate, weight decay and the seed. Inputs are fed as [batch, features] for dense networks and
     * [batch, channels, height, width] for CNNs.
     */
    MultiLayerConfiguration configuration(GeneratingFactors factors);

    /** The network's parameters as the canonical vector. */
    float[] toCanonical(MultiLayerNetwork network);

    /** Sets the network's parameters from a canonical vector (exact inverse of {@link #toCanonical}). */
    void fromCanonical(MultiLayerNetwork network, float[] canonical);

    /**
     * The network's parameter array (a view) of one layout layer: {@code "W"} (DL4J's shape: dense [in, out], conv
     * [out, in, kh, kw]) or {@code "b"}, wherever the network keeps it (a fused layer may hold several layout
     * layers).
     */
    INDArray parameter(MultiLayerNetwork network, String layer, String key);
}
