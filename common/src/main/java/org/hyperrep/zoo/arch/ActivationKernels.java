package org.hyperrep.zoo.arch;

import org.hyperrep.zoo.GeneratingFactors;

/**
 * The zoo's activation functions on plain Java arrays, as the fused layers compute them (double precision,
 * DL4J's definitions: GELU is DL4J's sigmoid approximation x·σ(1.702x)), for code outside this package that
 * trains zoo models without DL4J layers.
 */
public final class ActivationKernels {
    private ActivationKernels() { }

    /** The kernels' code of the factors' activation (tanh, relu, sigmoid, gelu). */
    public static int code(GeneratingFactors factors) {
        return FusedConvRuntime.activationCode(TrainingRecipe.activation(factors.activation()).getActivationFunction());
    }

    /** y = act(a) over the first len entries. */
    public static void activate(double[] a, double[] y, int len, int code) {
        FusedConvKernelsD.activate(a, y, len, code);
    }

    /** d ← d · act'(a), with y = act(a). */
    public static void backward(double[] a, double[] y, double[] d, int len, int code) {
        FusedConvKernelsD.activationBackward(a, y, d, len, code);
    }
}
