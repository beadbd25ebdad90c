package org.hyperrep.report;

import java.util.List;
import java.util.Map;

/**
 * The downstream targets in the order of the paper's results table (docs/zoos.md), named as the checkpoint columns
 * they are read from, with the labels the table shows.
 */
public final class Targets {
    public static final String EPOCH = "epoch";
    public static final String TEST_ACCURACY = "test_accuracy";
    public static final String GENERALIZATION_GAP = "generalization_gap";
    public static final String LEARNING_RATE = "learning_rate";
    public static final String WEIGHT_DECAY = "weight_decay";
    public static final String DROPOUT = "dropout";
    public static final String TRAIN_FRACTION = "train_fraction";
    public static final String ACTIVATION = "activation";
    public static final String INIT = "init";
    public static final String OPTIMIZER = "optimizer";

    /** Row order of the paper's table: regression targets, then the classification targets. */
    public static final List<String> ORDER = List.of(EPOCH, TEST_ACCURACY, GENERALIZATION_GAP, LEARNING_RATE,
            WEIGHT_DECAY, DROPOUT, TRAIN_FRACTION, ACTIVATION, INIT, OPTIMIZER);

    /** Targets predicted by a classifier (accuracy %); the others by a regression (R² %). */
    public static final List<String> CATEGORICAL = List.of(ACTIVATION, INIT, OPTIMIZER);

    private static final Map<String, String> LABELS = Map.of(EPOCH, "epoch", TEST_ACCURACY, "test accuracy",
            GENERALIZATION_GAP, "generalization gap", LEARNING_RATE, "learning rate", WEIGHT_DECAY, "L2",
            DROPOUT, "dropout", TRAIN_FRACTION, "training fraction", ACTIVATION, "activation", INIT, "init",
            OPTIMIZER, "optimizer");

    private Targets() {}

    /** The table label of a target; an unknown target is shown as named, underscores as spaces. */
    public static String label(String target) {
        String l = LABELS.get(target);
        return l != null ? l : target.replace('_', ' ');
    }

    /** Position in {@link #ORDER}; unknown targets come after the known ones. */
    static int rank(String target) {
        int i = ORDER.indexOf(target);
        return i >= 0 ? i : ORDER.size();
    }
}
