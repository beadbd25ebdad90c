package org.hyperrep.encoder;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds a learned embedding per position to a token sequence [batch, L·d] (docs/method.md). Tokens of a zoo model
 * have a fixed order (layer by layer, unit by unit), so position tells the blocks which neuron a token is; the
 * permutation augmentation teaches them which differences between neurons of one layer do not matter.
 *
 * <p>Parameter: {@code pos} [1, L·dModel], initialised N(0, initStd²). The encoder's start at 0.3, the scale of
 * the neuron-token embeddings of real zoo weights (0.1–0.3; the paper's reference code uses N(0, 1)), which makes
 * the attention position-aware from the first step. At 0.02 (BERT's scale) the blocks were nearly blind to which
 * position a neuron sits at, so the compression token summed permuted neurons alike and the decoder could not
 * reconstruct a permuted view better than the mean for many epochs. The decoder's sit directly on the path to the
 * debedders, where a unit-scale offset would be a large constant error: keep those small.
 */
public class PositionEmbedding extends TokenLayerConf {
    @JsonProperty
    private int positions;
    @JsonProperty
    private int dModel;
    @JsonProperty
    private double initStd;

    public PositionEmbedding() { }   // Jackson

    public PositionEmbedding(int positions, int dModel, double initStd) {
        this.positions = positions;
        this.dModel = dModel;
        this.initStd = initStd;
    }

    @Override
    List<ParamSpec> paramSpecs() { return List.of(ParamSpec.embedding("pos", (long) positions * dModel, initStd)); }

    @Override
    public long inputSize() { return (long) positions * dModel; }

    @Override
    public long outputSize() { return inputSize(); }

    @Override
    TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) { return new Runtime(conf, dataType); }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionEmbedding p && super.equals(o) && p.positions == positions && p.dModel == dModel
                && p.initStd == initStd;
    }

    @Override
    public int hashCode() { return Objects.hash(super.hashCode(), positions, dModel, initStd); }

    static final class Runtime extends TokenLayerRuntime<PositionEmbedding> {
        Runtime(NeuralNetConfiguration conf, DataType dataType) { super(conf, dataType); }

        @Override
        INDArray forward(INDArray input, boolean training) { return input.add(getParam("pos")); }

        @Override
        INDArray backward(INDArray epsilon, Map<String, INDArray> grads) {
            grads.put("pos", epsilon.sum(true, 0));
            return epsilon;
        }

        @Override
        void clearCache() { }
    }
}
