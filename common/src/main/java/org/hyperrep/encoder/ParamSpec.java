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
 */
record ParamSpec(String key, long[] shape, Init init, boolean weight) {

    ParamSpec {
        if (key.indexOf('_') >= 0) throw new IllegalArgumentException("parameter key with an underscore: " + key);
    }

    enum Init {
        /** The layer's weight initialisation (the network default, e.g. Xavier) with fanIn = shape[0], fanOut = shape[1]. */
        WEIGHT,
        ZERO,
        ONE,
        /** N(0, 0.02²), as for learned tokens and position embeddings in BERT/GPT-style transformers. */
        EMBEDDING
    }

    static ParamSpec matrix(String key, long rows, long cols) {
        return new ParamSpec(key, new long[]{rows, cols}, Init.WEIGHT, true);
    }

    static ParamSpec bias(String key, long n) {
        return new ParamSpec(key, new long[]{1, n}, Init.ZERO, false);
    }

    static ParamSpec gain(String key, long n) {
        return new ParamSpec(key, new long[]{1, n}, Init.ONE, false);
    }

    static ParamSpec embedding(String key, long n) {
        return new ParamSpec(key, new long[]{1, n}, Init.EMBEDDING, false);
    }

    long length() { return Arrays.stream(shape).reduce(1, (a, b) -> a * b); }
}
