package org.hyperrep.encoder;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Prepends a learned compression token to a token sequence (docs/method.md): [batch, T·d] → [batch, (T+1)·d].
 * After the encoder blocks, position 0 carries the summary of the whole model that becomes the embedding.
 *
 * <p>Parameter: {@code token} [1, dModel], initialised N(0, 0.3²), the scale of the encoder's position embeddings
 * (see {@link PositionEmbedding}). The paper's reference code draws both from N(0, 1); at that scale the constant
 * part of position 0 dominated the readout, pushing the tanh bottleneck towards saturation (|z| ≈ 0.6 at init) and
 * making the projection head's batch norm ill-conditioned.
 */
public class CompressionToken extends TokenLayerConf {
    @JsonProperty
    private int tokens;
    @JsonProperty
    private int dModel;

    public CompressionToken() { }   // Jackson

    /** @param tokens number of tokens T of the incoming sequence */
    public CompressionToken(int tokens, int dModel) {
        this.tokens = tokens;
        this.dModel = dModel;
    }

    @Override
    List<ParamSpec> paramSpecs() { return List.of(ParamSpec.embedding("token", dModel, HyperRepresentationModel.ENCODER_POSITION_STD)); }

    @Override
    public long inputSize() { return (long) tokens * dModel; }

    @Override
    public long outputSize() { return (long) (tokens + 1) * dModel; }

    @Override
    TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) { return new Runtime(conf, dataType); }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompressionToken c && super.equals(o) && c.tokens == tokens && c.dModel == dModel;
    }

    @Override
    public int hashCode() { return Objects.hash(super.hashCode(), tokens, dModel); }

    static final class Runtime extends TokenLayerRuntime<CompressionToken> {
        Runtime(NeuralNetConfiguration conf, DataType dataType) { super(conf, dataType); }

        @Override
        INDArray forward(INDArray input, boolean training) {
            long b = input.size(0);
            INDArray token = getParam("token");
            INDArray repeated = Nd4j.create(dataType, b, token.length()).addiRowVector(token);
            return Nd4j.concat(1, repeated, input);
        }

        @Override
        INDArray backward(INDArray epsilon, Map<String, INDArray> grads) {
            int d = layerConf().dModel;
            grads.put("token", epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).sum(true, 0));
            return epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(d, epsilon.size(1))).dup('c');
        }

        @Override
        void clearCache() { }
    }
}
