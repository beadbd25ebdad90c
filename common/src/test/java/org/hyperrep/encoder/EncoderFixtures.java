package org.hyperrep.encoder;

import org.hyperrep.weights.WeightLayout;

import java.util.List;

/** Layouts and specs shared by the encoder tests. */
final class EncoderFixtures {
    private EncoderFixtures() { }

    /** tetris-mlp: 100 parameters, 9 tokens of widths 16 and 5. */
    static WeightLayout tetris() {
        return WeightLayout.builder("tetris-mlp").dense("dense1", 16, 5, false).dense("dense2", 5, 4, false).build();
    }

    /** cnn-s: 2464 parameters, 48 tokens of widths 26, 201, 25, 37, 21. */
    static WeightLayout cnnS() {
        return WeightLayout.builder("cnn-s")
                .conv("conv1", 1, 8, 5, 5, true).conv("conv2", 8, 6, 5, 5, true).conv("conv3", 6, 4, 2, 2, true)
                .dense("dense1", 36, 20, true, 9).dense("dense2", 20, 10, true).build();
    }

    /** A small layout with biases: two tokens widths 4 and 4. */
    static WeightLayout smallWithBias() {
        return WeightLayout.builder("small").dense("dense1", 3, 2, true).dense("dense2", 2, 3, true).build();
    }

    /** The gradient-check size: dModel 8, 2 heads, 1 block, FF 16, latent 4, head [8, 4], no dropout. */
    static EncoderSpec tiny(double gamma) {
        return new EncoderSpec(8, 2, 1, 16, 4, 0.0, List.of(8, 4), gamma, 0.1, false, 12345, 1e-3, 0.0);
    }
}
