package org.hyperrep.encoder;

import java.util.List;

/**
 * The encoder's learning rate per epoch under the {@code warmup-cosine} schedule: a linear warm-up from base/W to
 * the base rate over the first W epochs, then a half cosine from the base rate down to base × finalFactor at the
 * last epoch. Set once per epoch (the Spark engine's workers take the rate with the network at the start of an
 * epoch). Large-batch contrastive training (SimCLR and the hyper-representation follow-ups) trains with this shape;
 * the paper's plateau rule lowers the rate only after the loss has stalled, which in short CPU runs is never.
 */
public final class LearningRateSchedule {
    public static final String PLATEAU = "plateau";
    public static final String WARMUP_COSINE = "warmup-cosine";
    public static final List<String> NAMES = List.of(PLATEAU, WARMUP_COSINE);

    private LearningRateSchedule() { }

    /** The rate of epoch {@code epoch} (1-based) of {@code epochs}. */
    public static double warmupCosine(double base, int epoch, int epochs, int warmupEpochs, double finalFactor) {
        if (epoch < 1 || epoch > epochs) throw new IllegalArgumentException("epoch " + epoch + " outside 1.." + epochs);
        if (epoch <= warmupEpochs) return base * epoch / warmupEpochs;
        int decay = epochs - warmupEpochs;
        if (decay <= 1) return base;
        double progress = (epoch - warmupEpochs - 1) / (double) (decay - 1);   // 0 at the first, 1 at the last epoch
        return base * (finalFactor + (1 - finalFactor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
