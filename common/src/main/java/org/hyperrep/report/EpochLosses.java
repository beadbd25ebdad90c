package org.hyperrep.report;

/**
 * The encoder's losses after one training epoch; NaN where not measured (e.g. no reconstruction R² for E_c).
 *
 * @param epoch                     the epoch (1-based, as the trainer counts)
 * @param trainLoss                 total loss γ·NT-Xent + (1−γ)·MSE on the monitored training samples
 * @param validationLoss            the same on the validation samples
 * @param trainReconstructionR2     reconstruction R² of the weights on the monitored training samples
 * @param validationReconstructionR2 the same on the validation samples
 */
public record EpochLosses(int epoch, double trainLoss, double validationLoss, double trainReconstructionR2,
                          double validationReconstructionR2) {
}
