package org.hyperrep.encoder;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds a learned embedding per position to a token sequence [batch, L·d] (METHOD.md §4). Tokens of a zoo model
 * have a fixed order (layer by layer, unit by unit), so position tells the blocks which neuron a token is; the
 * permutation augmentation teaches them which differences between neurons of one layer do not matter.
 *
 * <p>Parameter: {@code pos} [1, L·dModel].
 */
public class PositionEmbedding extends TokenLayerConf {
    @JsonProperty
    private int positions;
    @JsonProperty
    private int dModel;

    public PositionEmbedding() { }   // Jackson

    public PositionEmbedding(int positions, int dModel) {
        this.positions = positions;
        this.dModel = dModel;
    }

    @Override
    List<ParamSpec> paramSpecs() { return List.of(ParamSpec.embedding("pos", (long) positions * dModel)); }

    @Override
    public long inputSize() { return (long) positions * dModel; }

    @Override
    public long outputSize() { return inputSize(); }

    @Override
    TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) { return new Runtime(conf, dataType); }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionEmbedding p && super.equals(o) && p.positions == positions && p.dModel == dModel;
    }

    @Override
    public int hashCode() { return Objects.hash(super.hashCode(), positions, dModel); }

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
