package org.hyperrep.encoder;

import java.io.Serializable;
import java.util.List;

/**
 * Hyper-parameters of the hyper-representation model (docs/method.md): the transformer encoder and its mirrored
 * decoder, the projection head, the loss mix and the optimiser.
 *
 * @param dModel                          width of a token inside the transformer
 * @param heads                           attention heads per block; must divide {@code dModel}
 * @param blocks                          transformer blocks of the encoder; the decoder has as many
 * @param ffDim                           hidden width of the feed-forward part of a block
 * @param latentDim                       size of the embedding z
 * @param dropout                         drop probability inside the blocks (attention output, FF hidden layer,
 *                                        FF output); 0 switches dropout off
 * @param projection                      widths of the projection head, e.g. [400, 400, 50]: every entry but the
 *                                        last is Dense → BatchNorm → ReLU, the last is the linear output on which
 *                                        NT-Xent is computed. Empty: NT-Xent on z itself
 * @param gamma                           loss = γ·NT-Xent + (1−γ)·MSE; 0 builds no head, 1 builds no decoder
 * @param tau                             NT-Xent temperature
 * @param normalizeReconstructionPerLayer weight each layer's reconstruction error by 1/std² of that layer's
 *                                        weights (the 2022 follow-up); needs the per-layer stds at build time
 * @param seed                            seed of parameter initialisation and dropout
 * @param learningRate                    Adam learning rate
 * @param weightDecay                     decoupled weight decay on weight matrices (not on biases, norms,
 *                                        tokens or position embeddings); 0 for none
 * @param standardizeInputs               standardize every zoo layer's weights by the mean and std of that layer
 *                                        over the training split, inside the graph ({@link WeightStandardization}:
 *                                        the statistics travel with the model file); the reconstruction is mapped
 *                                        back and its error weighted by 1/std², i.e. measured in standardized units
 * @param readout                         what the tanh bottleneck reads from the last encoder block: the
 *                                        compression token, the mean of the neuron tokens, or both concatenated
 *                                        ({@link TokenReadout})
 */
public record EncoderSpec(int dModel, int heads, int blocks, int ffDim, int latentDim, double dropout,
                          List<Integer> projection, double gamma, double tau,
                          boolean normalizeReconstructionPerLayer, long seed, double learningRate,
                          double weightDecay, boolean standardizeInputs, String readout) implements Serializable {

    /** Readout values, see {@link TokenReadout}. */
    public static final List<String> READOUTS = List.of(TokenReadout.COMPRESSION, TokenReadout.MEAN, TokenReadout.BOTH);

    /** Without input standardization, reading the compression token. */
    public EncoderSpec(int dModel, int heads, int blocks, int ffDim, int latentDim, double dropout,
                       List<Integer> projection, double gamma, double tau, boolean normalizeReconstructionPerLayer,
                       long seed, double learningRate, double weightDecay) {
        this(dModel, heads, blocks, ffDim, latentDim, dropout, projection, gamma, tau, normalizeReconstructionPerLayer,
                seed, learningRate, weightDecay, false, TokenReadout.COMPRESSION);
    }

    public EncoderSpec {
        projection = projection == null ? List.of() : List.copyOf(projection);
        require(dModel > 0 && heads > 0 && dModel % heads == 0,
                "dModel (" + dModel + ") must be a positive multiple of heads (" + heads + ")");
        require(blocks >= 0, "blocks must be >= 0, got " + blocks);
        require(ffDim > 0, "ffDim must be > 0, got " + ffDim);
        require(latentDim > 0, "latentDim must be > 0, got " + latentDim);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(projection.stream().allMatch(w -> w > 0), "projection widths must be > 0: " + projection);
        require(gamma >= 0 && gamma <= 1, "gamma must be in [0, 1], got " + gamma);
        require(tau > 0, "tau must be > 0, got " + tau);
        require(learningRate > 0, "learningRate must be > 0, got " + learningRate);
        require(weightDecay >= 0, "weightDecay must be >= 0, got " + weightDecay);
        require(READOUTS.contains(readout), "readout must be one of " + READOUTS + ", got " + readout);
    }

    /** Whether the graph needs per-layer statistics of the training weights at build time. */
    public boolean needsLayerStatistics() { return normalizeReconstructionPerLayer || standardizeInputs; }

    /** The paper's Tetris setting (docs/method.md): d 256, 2 blocks, 4 heads, FF 512, latent 50, head 50/20, γ 0.5. */
    public static EncoderSpec paperTetris() {
        return new EncoderSpec(256, 4, 2, 512, 50, 0.1, List.of(50, 50, 20), 0.5, 0.1, false, 42, 1e-4, 1e-9);
    }

    /** True when the graph has a reconstruction output (γ < 1). */
    public boolean hasReconstruction() { return gamma < 1; }

    /** True when the graph has a contrastive output (γ > 0). */
    public boolean hasContrastive() { return gamma > 0; }

    public EncoderSpec withGamma(double g) {
        return new EncoderSpec(dModel, heads, blocks, ffDim, latentDim, dropout, projection, g, tau,
                normalizeReconstructionPerLayer, seed, learningRate, weightDecay, standardizeInputs, readout);
    }

    public EncoderSpec withDropout(double p) {
        return new EncoderSpec(dModel, heads, blocks, ffDim, latentDim, p, projection, gamma, tau,
                normalizeReconstructionPerLayer, seed, learningRate, weightDecay, standardizeInputs, readout);
    }

    public EncoderSpec withSeed(long s) {
        return new EncoderSpec(dModel, heads, blocks, ffDim, latentDim, dropout, projection, gamma, tau,
                normalizeReconstructionPerLayer, s, learningRate, weightDecay, standardizeInputs, readout);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
