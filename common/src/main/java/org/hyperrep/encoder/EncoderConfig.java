package org.hyperrep.encoder;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.hyperrep.config.BadInputException;
import org.hyperrep.weights.AugmentationSpec;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code encoder} section of a config: which model (attention or the MLP baseline), its hyper-parameters,
 * the augmentations and how it is trained.
 */
public record EncoderConfig(String architecture, EncoderSpec spec, List<Integer> mlpHidden,
                            AugmentationSpec augmentation, Training training) implements Serializable {

    /**
     * How the encoder is trained.
     *
     * @param threads ND4J (OpenMP and BLAS) threads per training task: per JVM for the local engine, per Spark task
     *                for the spark engine; 0 = automatic: 1 (on the shared 2-core machines here one thread beat two
     *                for every size measured, by 3x in CPU time; a dedicated machine may set its cores for the
     *                local engine)
     * @param schedule    the learning rate over epochs: {@code plateau} (the paper: reduced by plateauFactor when
     *                    the train loss has not improved for plateauPatience epochs) or {@code warmup-cosine}
     *                    ({@link LearningRateSchedule})
     * @param warmupEpochs    warmup-cosine: epochs of linear warm-up
     * @param finalRateFactor warmup-cosine: the rate of the last epoch as a fraction of the base rate
     */
    public record Training(String engine, int epochs, int batchSize, double plateauFactor, int plateauPatience,
                           int averagingFrequency, int monitorSamples, int threads, String schedule,
                           int warmupEpochs, double finalRateFactor) implements Serializable {

        /** The ND4J threads a training task of this engine uses. */
        public int threadsPerTask() { return threads > 0 ? threads : 1; }
    }

    public static EncoderConfig from(Config c) {
        try {
            String arch = c.getString("encoder.architecture");
            if (!List.of("attention", "mlp").contains(arch)) {
                throw new BadInputException("encoder.architecture = " + arch + ": expected attention or mlp");
            }
            String engine = c.getString("encoder.training.engine");
            if (!List.of("spark", "local").contains(engine)) {
                throw new BadInputException("encoder.training.engine = " + engine + ": expected spark or local");
            }
            long seed = c.getLong("encoder.training.seed");
            EncoderSpec spec;
            AugmentationSpec aug;
            try {
                spec = new EncoderSpec(c.getInt("encoder.d-model"), c.getInt("encoder.heads"),
                        c.getInt("encoder.blocks"), c.getInt("encoder.ff-dim"), c.getInt("encoder.latent-dim"),
                        c.getDouble("encoder.dropout"), c.getIntList("encoder.projection"),
                        c.getDouble("encoder.gamma"), c.getDouble("encoder.tau"),
                        c.getBoolean("encoder.normalize-reconstruction-per-layer"), seed,
                        c.getDouble("encoder.training.learning-rate"), c.getDouble("encoder.training.weight-decay"),
                        c.getBoolean("encoder.standardize-inputs"), c.getString("encoder.readout"));
                aug = new AugmentationSpec(c.getBoolean("encoder.augmentation.permutation"),
                        c.getInt("encoder.augmentation.permutation-count"), c.getBoolean("encoder.augmentation.erasing"),
                        c.getDouble("encoder.augmentation.erasing-probability"), 0.02, 0.33,
                        c.getDouble("encoder.augmentation.noise"), seed);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("encoder config: " + e.getMessage(), e);
            }
            Training t = new Training(engine, c.getInt("encoder.training.epochs"), c.getInt("encoder.training.batch-size"),
                    c.getDouble("encoder.training.plateau-factor"), c.getInt("encoder.training.plateau-patience"),
                    c.getInt("encoder.training.averaging-frequency"), c.getInt("encoder.training.monitor-samples"),
                    c.getInt("encoder.training.threads"), c.getString("encoder.training.schedule"),
                    c.getInt("encoder.training.warmup-epochs"), c.getDouble("encoder.training.final-rate-factor"));
            if (!LearningRateSchedule.NAMES.contains(t.schedule())) {
                throw new BadInputException("encoder.training.schedule = " + t.schedule() + ": expected one of "
                        + LearningRateSchedule.NAMES);
            }
            if (t.warmupEpochs() < 0) throw new BadInputException("encoder.training.warmup-epochs must be >= 0");
            if (!(t.finalRateFactor() > 0 && t.finalRateFactor() <= 1)) {
                throw new BadInputException("encoder.training.final-rate-factor must be in (0, 1]");
            }
            if (t.threads() < 0) throw new BadInputException("encoder.training.threads must be >= 0 (0 = automatic)");
            if (t.epochs() < 1) throw new BadInputException("encoder.training.epochs must be >= 1");
            if (t.batchSize() < 2) throw new BadInputException("encoder.training.batch-size must be >= 2");
            return new EncoderConfig(arch, spec, c.getIntList("encoder.mlp-hidden"), aug, t);
        } catch (ConfigException e) {
            throw new BadInputException("bad encoder config: " + e.getMessage(), e);
        }
    }
}
