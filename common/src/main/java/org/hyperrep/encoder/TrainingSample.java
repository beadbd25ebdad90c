package org.hyperrep.encoder;

import java.io.Serializable;

/**
 * One checkpoint as the learner sees it: a stable small integer key (its index in the sorted training set, used
 * to seed its views and to pair them in the contrastive loss), its identity and its canonical weights.
 */
public record TrainingSample(int key, String modelId, int epoch, float[] weights) implements Serializable {
}
