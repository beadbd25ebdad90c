package org.hyperrep.config;

import java.io.Serializable;
import java.util.List;

/**
 * How every model of a zoo is trained: epochs, the epochs that become checkpoints (0 = the initialization), the
 * minibatch size, and how many training images are evaluated for a checkpoint's train metrics.
 */
public record TrainingSpec(int epochs, List<Integer> checkpointEpochs, int batchSize, int evalTrainMax)
        implements Serializable {

    public TrainingSpec {
        if (epochs < 0) throw new BadInputException("zoo.training.epochs = " + epochs + ": must be >= 0");
        if (batchSize <= 0) throw new BadInputException("zoo.training.batch-size = " + batchSize + ": must be > 0");
        for (int e : checkpointEpochs) {
            if (e < 0 || e > epochs) {
                throw new BadInputException("zoo.training.checkpoint-epochs: epoch " + e + " is outside 0.." + epochs);
            }
        }
        checkpointEpochs = checkpointEpochs.stream().distinct().sorted().toList();
        if (checkpointEpochs.isEmpty()) throw new BadInputException("zoo.training.checkpoint-epochs is empty");
    }
}
