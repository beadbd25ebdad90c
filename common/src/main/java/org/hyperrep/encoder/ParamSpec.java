package org.hyperrep.encoder;

import java.util.Arrays;

/**
 * One parameter array of a hand-written layer: its key, shape and how it starts.
 *
 * @param key    parameter name inside the layer; no underscores (DL4J's updater splits "layer_param" at the
 *               last underscore)
 * @param shape  shape of the array (stored c-order inside the network's flat parameter vector)
 * @param init   how the array is initialised
 * @param weight true for weight matrices (weight decay applies), false for biases, norms and embeddings
 * @param std    standard deviation of {@link Init#EMBEDDING}; unused otherwise
 */
record ParamSpec(String key, long[] shape, Init init, boolean weight, double std) {

    ParamSpec {
        if (key.indexOf('_') >= 0) throw new IllegalArgumentException("parameter key with an underscore: " + key);
    }

    enum Init {
        /** The layer's weight initialisation (the network default, e.g. Xavier) with fanIn = shape[0], fanOut = shape[1]. */
        WEIGHT,
        ZERO,
        ONE,
        /** N(0, std²): learned tokens and position embeddings. */
        EMBEDDING
    }

    static ParamSpec matrix(String key, long rows, long cols) {
        return new ParamSpec(key, new long[]{rows, cols}, Init.WEIGHT, true, 0);
    }

    /**
     * A weight matrix that starts at zero: the last projection of a residual branch, so that every block starts as
     * the identity (as in Fixup / ReZero; GPT-2 scales these down). With the usual random init the branches add
     * sample-independent offsets of order one to the residual stream, which saturated the tanh bottleneck and put
     * the first reconstructions far from the data (see TransformerBlock).
     */
    static ParamSpec residualOutput(String key, long rows, long cols) {
        return new ParamSpec(key, new long[]{rows, cols}, Init.ZERO, true, 0);
    }

    static ParamSpec bias(String key, long n) {
        return new ParamSpec(key, new long[]{1, n}, Init.ZERO, false, 0);
    }

    static ParamSpec gain(String key, long n) {
        return new ParamSpec(key, new long[]{1, n}, Init.ONE, false, 0);
    }

    static ParamSpec embedding(String key, long n, double std) {
        return new ParamSpec(key, new long[]{1, n}, Init.EMBEDDING, false, std);
    }

    long length() { return Arrays.stream(shape).reduce(1, (a, b) -> a * b); }
}
