package org.hyperrep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.util.List;

/**
 * The {@code study} section of a config: the nested zoo sizes of a scaling study, the encoder seeds trained per size
 * and, optionally, the encoder epochs per size (smaller subsets get more epochs for a similar number of steps).
 *
 * @param sizes         train + validation models per subset, ascending (each becomes {@code subset.models})
 * @param encoderSeeds  {@code encoder.training.seed} of the encoders trained per size
 * @param encoderEpochs {@code encoder.training.epochs} per size, same length as sizes; empty: the encoder section's
 */
public record StudyConfig(List<Integer> sizes, List<Long> encoderSeeds, List<Integer> encoderEpochs) {

    public StudyConfig {
        sizes = List.copyOf(sizes);
        encoderSeeds = List.copyOf(encoderSeeds);
        encoderEpochs = List.copyOf(encoderEpochs);
    }

    public static StudyConfig from(Config c) {
        try {
            StudyConfig s = new StudyConfig(c.getIntList("study.sizes"), c.getLongList("study.encoder-seeds"),
                    c.getIntList("study.encoder-epochs"));
            if (s.sizes().isEmpty()) throw new BadInputException("study.sizes is empty: give the subset sizes to train on");
            for (int i = 0; i < s.sizes().size(); i++) {
                if (s.sizes().get(i) < 1 || (i > 0 && s.sizes().get(i) <= s.sizes().get(i - 1))) {
                    throw new BadInputException("study.sizes = " + s.sizes() + ": positive and ascending");
                }
            }
            if (s.encoderSeeds().isEmpty()) throw new BadInputException("study.encoder-seeds is empty");
            if (!s.encoderEpochs().isEmpty() && s.encoderEpochs().size() != s.sizes().size()) {
                throw new BadInputException("study.encoder-epochs has " + s.encoderEpochs().size()
                        + " values, study.sizes " + s.sizes().size() + ": one per size, or [] for encoder.training.epochs");
            }
            if (s.encoderEpochs().stream().anyMatch(e -> e < 1)) throw new BadInputException("study.encoder-epochs must be >= 1");
            return s;
        } catch (ConfigException e) {
            throw new BadInputException("study section: " + e.getMessage(), e);
        }
    }
}
