package org.hyperrep.zoo;

import java.io.Serializable;

/** One planned model of a zoo: its content-hash id, its split (train, validation, test) and its factors. */
public record ModelSpec(String modelId, String split, GeneratingFactors factors) implements Serializable {
}
