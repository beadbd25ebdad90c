package org.hyperrep.weights;

import java.io.Serializable;
import java.util.List;

/**
 * A test oracle, written independently of the encoder's {@code NeuronTokenGeometry}: neuron tokens of a canonical
 * weight vector (docs/method.md): one token per output neuron or conv filter, made of
 * its incoming weights ({@code fanIn} = c_in·kh·kw values, in the canonical [in, kh, kw] order) followed by its
 * bias when the layer has one. Tokens of one layer share a width ({@link LayerLayout#tokenWidth()}); layers differ,
 * and nothing is padded.
 *
 * <p>Representation: {@code float[layer][unit][tokenWidth]} for one vector; for a batch, one flat row-major
 * {@code [batch, units, tokenWidth]} array per layer (what a per-layer linear embedding consumes). Both directions
 * only copy values, so a round trip is bitwise exact.
 */
public final class NeuronTokenizer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final WeightLayout layout;
    private final List<LayerLayout> layers;

    public NeuronTokenizer(WeightLayout layout) {
        this.layout = layout;
        this.layers = layout.layers();
    }

    public WeightLayout layout() { return layout; }

    /** Number of parametrised layers, i.e. of token groups. */
    public int layerCount() { return layers.size(); }

    /** Total number of tokens: the sum of output units over all layers. */
    public int tokenCount() { return layout.tokenCount(); }

    /** Tokens per layer (its output units), in network order. */
    public int[] tokensPerLayer() { return layers.stream().mapToInt(LayerLayout::out).toArray(); }

    /** Token width per layer (fanIn, plus one when the layer has a bias), in network order. */
    public int[] widths() { return layers.stream().mapToInt(LayerLayout::tokenWidth).toArray(); }

    /** The tokens of one vector: {@code [layer][unit][tokenWidth]}, fresh arrays. */
    public float[][][] tokenize(float[] vector) {
        checkLength(vector);
        float[][][] tokens = new float[layers.size()][][];
        for (int l = 0; l < layers.size(); l++) {
            LayerLayout layer = layers.get(l);
            tokens[l] = new float[layer.out()][];
            for (int u = 0; u < layer.out(); u++) {
                tokens[l][u] = token(vector, layer, u);
            }
        }
        return tokens;
    }

    /** Token {@code unit} of layer {@code layer} (index in network order), a fresh array. */
    public float[] token(float[] vector, int layer, int unit) {
        checkLength(vector);
        LayerLayout l = layers.get(layer);
        if (unit < 0 || unit >= l.out()) {
            throw new IndexOutOfBoundsException("layer " + l.name() + " has " + l.out() + " units, asked for " + unit);
        }
        return token(vector, l, unit);
    }

    /** The flat vector of tokens shaped as {@link #tokenize} returns them. */
    public float[] detokenize(float[][][] tokens) {
        if (tokens.length != layers.size()) {
            throw new IllegalArgumentException(layout.architecture() + " has " + layers.size() + " token layers, got "
                    + tokens.length);
        }
        float[] vector = new float[layout.size()];
        for (int l = 0; l < layers.size(); l++) {
            LayerLayout layer = layers.get(l);
            if (tokens[l].length != layer.out()) {
                throw new IllegalArgumentException("layer " + layer.name() + " has " + layer.out() + " tokens, got "
                        + tokens[l].length);
            }
            for (int u = 0; u < layer.out(); u++) {
                float[] t = tokens[l][u];
                if (t.length != layer.tokenWidth()) {
                    throw new IllegalArgumentException("layer " + layer.name() + " tokens are " + layer.tokenWidth()
                            + " wide, token " + u + " has " + t.length);
                }
                System.arraycopy(t, 0, vector, layer.offset() + u * layer.fanIn(), layer.fanIn());
                if (layer.bias()) {
                    vector[layer.biasOffset() + u] = t[layer.fanIn()];
                }
            }
        }
        return vector;
    }

    /**
     * The tokens of one layer for a batch of vectors, flat row-major {@code [batch, units, tokenWidth]}.
     *
     * @param layer layer index in network order
     */
    public float[] layerTokens(float[][] vectors, int layer) {
        LayerLayout l = layers.get(layer);
        int w = l.tokenWidth();
        float[] out = new float[vectors.length * l.out() * w];
        for (int b = 0; b < vectors.length; b++) {
            float[] v = vectors[b];
            checkLength(v);
            for (int u = 0; u < l.out(); u++) {
                int at = (b * l.out() + u) * w;
                System.arraycopy(v, l.offset() + u * l.fanIn(), out, at, l.fanIn());
                if (l.bias()) {
                    out[at + l.fanIn()] = v[l.biasOffset() + u];
                }
            }
        }
        return out;
    }

    /**
     * The batch of flat vectors whose tokens are {@code perLayer[l]}, each flat row-major
     * {@code [batch, units_l, tokenWidth_l]} as {@link #layerTokens} returns them: the inverse of calling it for
     * every layer.
     */
    public float[][] fromLayerTokens(float[][] perLayer, int batch) {
        if (perLayer.length != layers.size()) {
            throw new IllegalArgumentException(layout.architecture() + " has " + layers.size() + " token layers, got "
                    + perLayer.length);
        }
        float[][] vectors = new float[batch][layout.size()];
        for (int l = 0; l < layers.size(); l++) {
            LayerLayout layer = layers.get(l);
            int w = layer.tokenWidth();
            if (perLayer[l].length != batch * layer.out() * w) {
                throw new IllegalArgumentException("layer " + layer.name() + " needs " + batch + "·" + layer.out()
                        + "·" + w + " values, got " + perLayer[l].length);
            }
            for (int b = 0; b < batch; b++) {
                for (int u = 0; u < layer.out(); u++) {
                    int at = (b * layer.out() + u) * w;
                    System.arraycopy(perLayer[l], at, vectors[b], layer.offset() + u * layer.fanIn(), layer.fanIn());
                    if (layer.bias()) {
                        vectors[b][layer.biasOffset() + u] = perLayer[l][at + layer.fanIn()];
                    }
                }
            }
        }
        return vectors;
    }

    private static float[] token(float[] vector, LayerLayout l, int unit) {
        float[] t = new float[l.tokenWidth()];
        // [out, in, kh, kw] row-major: a unit's incoming weights are contiguous.
        System.arraycopy(vector, l.offset() + unit * l.fanIn(), t, 0, l.fanIn());
        if (l.bias()) {
            t[l.fanIn()] = vector[l.biasOffset() + unit];
        }
        return t;
    }

    private void checkLength(float[] vector) {
        if (vector.length != layout.size()) {
            throw new IllegalArgumentException(layout.architecture() + " vectors have " + layout.size()
                    + " values, got " + vector.length);
        }
    }
}
