package org.hyperrep.encoder;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the encoder's bottleneck reads from the last block's sequence [batch, (T+1)·d] (position 0 the compression
 * token, positions 1..T the neuron tokens): {@value #COMPRESSION} → [batch, d], the compression token (the paper);
 * {@value #MEAN} → [batch, d], the mean of the T neuron tokens (the SANE line of work: every token is trained to
 * carry its part of the model, and the mean is invariant to their order); {@value #BOTH} → [batch, 2d], the two
 * concatenated.
 */
public class TokenReadout extends TokenLayerConf {
    public static final String COMPRESSION = "compression-token";
    public static final String MEAN = "token-mean";
    public static final String BOTH = "both";

    @JsonProperty
    private int tokens;
    @JsonProperty
    private int dModel;
    @JsonProperty
    private String mode;

    public TokenReadout() { }   // Jackson

    /** @param tokens T, the neuron tokens after the compression token */
    public TokenReadout(int tokens, int dModel, String mode) {
        if (!List.of(COMPRESSION, MEAN, BOTH).contains(mode)) {
            throw new IllegalArgumentException("readout " + mode + ": expected " + COMPRESSION + ", " + MEAN + " or " + BOTH);
        }
        this.tokens = tokens;
        this.dModel = dModel;
        this.mode = mode;
    }

    @Override
    List<ParamSpec> paramSpecs() { return List.of(); }

    @Override
    public long inputSize() { return (long) (tokens + 1) * dModel; }

    @Override
    public long outputSize() { return mode.equals(BOTH) ? 2L * dModel : dModel; }

    @Override
    TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) { return new Runtime(conf, dataType); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenReadout r && super.equals(o) && r.tokens == tokens && r.dModel == dModel
                && r.mode.equals(mode);
    }

    @Override
    public int hashCode() { return Objects.hash(super.hashCode(), tokens, dModel, mode); }

    static final class Runtime extends TokenLayerRuntime<TokenReadout> {
        private long batch;

        Runtime(NeuralNetConfiguration conf, DataType dataType) { super(conf, dataType); }

        @Override
        INDArray forward(INDArray input, boolean training) {
            TokenReadout c = layerConf();
            int d = c.dModel;
            batch = input.size(0);
            INDArray first = input.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).dup('c');
            if (c.mode.equals(COMPRESSION)) return first;
            INDArray mean = input.dup('c').reshape('c', batch, c.tokens + 1, d)
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(1, c.tokens + 1), NDArrayIndex.all())
                    .mean(1);
            return c.mode.equals(MEAN) ? mean : Nd4j.concat(1, first, mean);
        }

        @Override
        INDArray backward(INDArray epsilon, Map<String, INDArray> grads) {
            TokenReadout c = layerConf();
            int d = c.dModel;
            INDArray dIn = Nd4j.create(dataType, batch, c.tokens + 1, d);
            INDArray eps = epsilon.dup('c');
            if (!c.mode.equals(MEAN)) {
                dIn.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                        .assign(eps.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)));
            }
            if (!c.mode.equals(COMPRESSION)) {
                int from = c.mode.equals(BOTH) ? d : 0;
                INDArray perToken = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + d)).div(c.tokens);
                for (int t = 1; t <= c.tokens; t++) {
                    dIn.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).assign(perToken);
                }
            }
            return dIn.reshape('c', batch, (long) (c.tokens + 1) * d);
        }

        @Override
        void clearCache() { }
    }
}
