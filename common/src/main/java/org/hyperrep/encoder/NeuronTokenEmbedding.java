package org.hyperrep.encoder;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.hyperrep.weights.WeightLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Neuron-token embedding (docs/method.md): cuts a batch of canonical weight vectors [batch, P] into the neuron
 * tokens of every layer and maps each layer's tokens with that layer's own linear map width → dModel (no padding).
 * Output: the T token embeddings in canonical order, [batch, T·dModel].
 *
 * <p>Parameters per zoo layer l: {@code W<l>} [width_l, dModel] and {@code b<l>} [1, dModel].
 */
public class NeuronTokenEmbedding extends TokenLayerConf {
    @JsonProperty
    private NeuronTokenGeometry geometry;
    @JsonProperty
    private int dModel;

    public NeuronTokenEmbedding() { }   // Jackson

    public NeuronTokenEmbedding(WeightLayout layout, int dModel) {
        this.geometry = new NeuronTokenGeometry(layout);
        this.dModel = dModel;
    }

    public NeuronTokenGeometry geometry() { return geometry; }

    public int dModel() { return dModel; }

    @Override
    List<ParamSpec> paramSpecs() {
        List<ParamSpec> specs = new ArrayList<>();
        for (int l = 0; l < geometry.layerCount(); l++) {
            specs.add(ParamSpec.matrix("W" + l, geometry.width(l), dModel));
            specs.add(ParamSpec.bias("b" + l, dModel));
        }
        return specs;
    }

    @Override
    public long inputSize() { return geometry.size(); }

    @Override
    public long outputSize() { return (long) geometry.tokenCount() * dModel; }

    @Override
    TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) { return new Runtime(conf, dataType); }

    @Override
    public boolean equals(Object o) {
        return o instanceof NeuronTokenEmbedding e && super.equals(o) && e.dModel == dModel
                && Objects.equals(e.geometry, geometry);
    }

    @Override
    public int hashCode() { return Objects.hash(super.hashCode(), geometry, dModel); }

    static final class Runtime extends TokenLayerRuntime<NeuronTokenEmbedding> {
        private INDArray[] tokens;   // per zoo layer: [batch·units, width]
        private long batch;

        Runtime(NeuralNetConfiguration conf, DataType dataType) { super(conf, dataType); }

        @Override
        INDArray forward(INDArray input, boolean training) {
            NeuronTokenGeometry g = layerConf().geometry;
            int d = layerConf().dModel;
            batch = input.size(0);
            tokens = new INDArray[g.layerCount()];
            INDArray out = Nd4j.create(dataType, batch, g.tokenCount(), d);
            for (int l = 0; l < g.layerCount(); l++) {
                tokens[l] = g.tokens(input, l);
                INDArray e = Ops.linear(tokens[l], getParam("W" + l), getParam("b" + l));
                int t0 = g.firstToken(l);
                out.get(NDArrayIndex.all(), NDArrayIndex.interval(t0, t0 + g.units(l)), NDArrayIndex.all())
                        .assign(e.reshape('c', batch, g.units(l), d));
            }
            return out.reshape('c', batch, (long) g.tokenCount() * d);
        }

        @Override
        INDArray backward(INDArray epsilon, Map<String, INDArray> grads) {
            NeuronTokenGeometry g = layerConf().geometry;
            int d = layerConf().dModel;
            INDArray eps = epsilon.dup('c').reshape('c', batch, g.tokenCount(), d);
            INDArray dInput = Nd4j.create(dataType, batch, g.size());
            for (int l = 0; l < g.layerCount(); l++) {
                int t0 = g.firstToken(l);
                INDArray dE = eps.get(NDArrayIndex.all(), NDArrayIndex.interval(t0, t0 + g.units(l)), NDArrayIndex.all())
                        .dup('c').reshape('c', batch * g.units(l), d);
                INDArray dTokens = Ops.linearBackward(tokens[l], getParam("W" + l), dE, grads, "W" + l, "b" + l);
                g.scatter(dTokens, l, dInput);
            }
            return dInput;
        }

        @Override
        void clearCache() { tokens = null; }
    }
}
