package org.hyperrep.store.smallcnn;

import org.hyperrep.zoo.Checkpoint;
import org.hyperrep.zoo.GeneratingFactors;

import java.util.Locale;

/**
 * One row of {@code metrics.csv.gz} read as what hyperrep needs, each field checked with a message naming the file,
 * the row and the column.
 *
 * <p>Mapping to hyperrep's factors (docs/zoos.md): activation = {@code config.activation}, init =
 * {@code config.w_init}, optimizer = {@code config.optimizer}, learning_rate = {@code config.learning_rate},
 * weight_decay = {@code config.l2reg} (Keras L2 kernel regularizer strength, not decoupled decay), dropout =
 * {@code config.dropout}, train_fraction = {@code config.train_fraction}, seed = {@code config.random_seed}; the
 * text values (e.g. {@code he_normal}, {@code RandomNormal}) are kept as they are, not renamed to hyperrep's
 * init names.
 *
 * <p><b>epoch = step.</b> Although the README calls it "the training step", every published reader selects the
 * final checkpoint with {@code metrics["step"] == 86} (NFN {@code experiments/data_utils.py}, neural-graphs and
 * ScaleGMN copy it), 86 being the last epoch, and {@code train_network.py} evaluates and saves
 * {@code permanent_ckpt-<epoch>} before training epochs 0, 1, 2, 3, and every {@code epochs_between_checkpoints}
 * (20) epochs, then once after the last: steps 0, 1, 2, 3, 20, 40, 60, 80, 86 = the number of epochs trained, 0
 * being the initialization, which is hyperrep's meaning of epoch. Nothing is lost: the raw step is the epoch.
 *
 * <p>Metrics: train/test accuracy and loss as recorded (accuracy in [0, 1], Keras' sparse categorical
 * cross-entropy); validation metrics do not exist in the source and are NaN; generalization gap = train accuracy −
 * test accuracy (computed by {@link org.hyperrep.store.CheckpointSchema}).
 */
public record SmallCnnRecord(int row, String modeldir, int step, String dataset, int epochs,
                             GeneratingFactors factors, double trainAccuracy, double trainLoss, double testAccuracy,
                             double testLoss) {

    public static SmallCnnRecord of(SmallCnnMetrics m, int row) {
        Reader r = new Reader(m, row);
        long step = r.integer("step");
        if (step < 0 || step > Integer.MAX_VALUE) throw r.bad("step", "must be a non-negative epoch count");
        long epochs = r.integer("config.epochs");
        if (epochs < 0 || epochs > Integer.MAX_VALUE) throw r.bad("config.epochs", "must be non-negative");
        String modeldir = r.text("modeldir");
        if (modeldir.isEmpty()) throw r.bad("modeldir", "is empty: it is the model's identity");
        GeneratingFactors f = new GeneratingFactors(r.integer("config.random_seed"), r.text("config.activation"),
                r.text("config.w_init"), r.text("config.optimizer"), r.real("config.learning_rate"),
                r.real("config.l2reg"), r.real("config.dropout"), r.real("config.train_fraction"));
        return new SmallCnnRecord(row, modeldir, (int) step, r.text("config.dataset"), (int) epochs, f,
                r.real("train_accuracy"), r.real("train_loss"), r.real("test_accuracy"), r.real("test_loss"));
    }

    /** hyperrep's epoch of this checkpoint: the step itself (see the class comment). */
    public int epoch() { return step; }

    /** The source's metrics; validation metrics are not in the source. */
    public Checkpoint.Metrics metrics() {
        return new Checkpoint.Metrics(trainAccuracy, trainLoss, Double.NaN, Double.NaN, testAccuracy, testLoss);
    }

    /** hyperrep's data set name for the source's TFDS name (fashion_mnist → fashion-mnist); others unchanged. */
    public static String hyperrepDataset(String tfds) {
        return tfds.equals("fashion_mnist") ? "fashion-mnist" : tfds;
    }

    /** The TFDS name written back for a hyperrep data set name. */
    public static String tfdsDataset(String hyperrep) {
        return hyperrep.equals("fashion-mnist") ? "fashion_mnist" : hyperrep;
    }

    /** Text of a number as pandas would read it back to the same double: Java's shortest exact form, NaN as nan. */
    static String number(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return Double.toString(v);
    }

    private static final class Reader {
        private final SmallCnnMetrics m;
        private final int row;

        Reader(SmallCnnMetrics m, int row) {
            this.m = m;
            this.row = row;
        }

        String text(String column) { return m.get(row, column); }

        long integer(String column) {
            String v = text(column).trim();
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                double d = parse(column, v);
                if (d == Math.rint(d) && Math.abs(d) < 1e15) return (long) d; // pandas writes 86.0 next to a NaN
                throw bad(column, "'" + v + "' is not an integer");
            }
        }

        double real(String column) { return parse(column, text(column).trim()); }

        private double parse(String column, String v) {
            switch (v.toLowerCase(Locale.ROOT)) {
                case "", "nan", "-nan", "na", "null", "none" -> { return Double.NaN; }
                case "inf", "+inf", "infinity", "+infinity" -> { return Double.POSITIVE_INFINITY; }
                case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
                default -> {
                    try {
                        return Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw bad(column, "'" + v + "' is not a number");
                    }
                }
            }
        }

        SmallCnnFormatException bad(String column, String what) {
            return new SmallCnnFormatException(m.file() + " row " + row + " (line " + (row + 2) + "), column "
                    + column + ": " + what);
        }
    }
}
