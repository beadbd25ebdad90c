package org.hyperrep.weights;

import java.io.Serializable;

/**
 * One parametrised layer in the canonical weight vector (docs/method.md): its weights in [out, in, kh, kw] order
 * (dense layers: kh = kw = 1) starting at {@code offset}, followed by its {@code out} biases when it has them.
 *
 * @param name            layer name, e.g. {@code conv1}, {@code dense2}
 * @param kind            {@code conv} or {@code dense}
 * @param out             output units (neurons or filters)
 * @param in              input channels (conv) or input features (dense)
 * @param kh              kernel height (1 for dense)
 * @param kw              kernel width (1 for dense)
 * @param bias            whether the layer has a bias
 * @param offset          index of the layer's first weight in the canonical vector
 * @param inputsPerUnit   how many input columns of this layer belong to one output unit of the previous layer:
 *                        1 in general, h·w for the first dense layer after a channel-major flatten of conv maps
 */
public record LayerLayout(String name, String kind, int out, int in, int kh, int kw, boolean bias, int offset,
                          int inputsPerUnit) implements Serializable {

    public int weightCount() { return out * in * kh * kw; }

    public int parameterCount() { return weightCount() + (bias ? out : 0); }

    /** Index of the first bias in the canonical vector (meaningful only when {@link #bias()}). */
    public int biasOffset() { return offset + weightCount(); }

    /** Incoming weights per output unit: c_in·kh·kw. */
    public int fanIn() { return in * kh * kw; }

    /** Width of this layer's neuron tokens: incoming weights plus the bias. */
    public int tokenWidth() { return fanIn() + (bias ? 1 : 0); }

    public int end() { return offset + parameterCount(); }
}
