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
 * The decoder's per-layer "debedders" (docs/method.md): maps the T decoded tokens [batch, T·dModel] of each zoo
 * layer back to that layer's token width with its own linear map, and reassembles the canonical weight vector
 * [batch, P] — the exact inverse arrangement of {@link NeuronTokenEmbedding}.
 *
 * <p>Parameters per zoo layer l: {@code W<l>} [dModel, width_l] and {@code b<l>} [1, width_l].
 */
public class TokenDebedding extends TokenLayerConf {
    @JsonProperty
    private NeuronTokenGeometry geometry;
    @JsonProperty
    private int dModel;

    public TokenDebedding() { }   // Jackson

    public TokenDebedding(WeightLayout layout, int dModel) {
        this.geometry = new NeuronTokenGeometry(layout);
        this.dModel = dModel;
    }

    @Override
    List<ParamSpec> paramSpecs() {
        List<ParamSpec> specs = new ArrayList<>();
        for (int l = 0; l < geometry.layerCount(); l++) {
            specs.add(ParamSpec.matrix("W" + l, dModel, geometry.width(l)));
            specs.add(ParamSpec.bias("b" + l, geometry.width(l)));
        }
        return specs;
    }

    @Override
    public long inputSize() { return (long) geometry.tokenCount() * dModel; }

    @Override
    public long outputSize() { return geometry.size(); }

    @Override
    TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) { return new Runtime(conf, dataType); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenDebedding e && super.equals(o) && e.dModel == dModel
                && Objects.equals(e.geometry, geometry);
    }

    @Override
    public int hashCode() { return Objects.hash(super.hashCode(), geometry, dModel); }

    static final class Runtime extends TokenLayerRuntime<TokenDebedding> {
        private INDArray[] hidden;   // per zoo layer: [batch·units, dModel]
        private long batch;

        Runtime(NeuralNetConfiguration conf, DataType dataType) { super(conf, dataType); }

        @Override
        INDArray forward(INDArray input, boolean training) {
            NeuronTokenGeometry g = layerConf().geometry;
            int d = layerConf().dModel;
            batch = input.size(0);
            INDArray seq = input.dup('c').reshape('c', batch, g.tokenCount(), d);
            INDArray out = Nd4j.create(dataType, batch, g.size());
            hidden = new INDArray[g.layerCount()];
            for (int l = 0; l < g.layerCount(); l++) {
                int t0 = g.firstToken(l);
                hidden[l] = seq.get(NDArrayIndex.all(), NDArrayIndex.interval(t0, t0 + g.units(l)), NDArrayIndex.all())
                        .dup('c').reshape('c', batch * g.units(l), d);
                g.scatter(Ops.linear(hidden[l], getParam("W" + l), getParam("b" + l)), l, out);
            }
            return out;
        }

        @Override
        INDArray backward(INDArray epsilon, Map<String, INDArray> grads) {
            NeuronTokenGeometry g = layerConf().geometry;
            int d = layerConf().dModel;
            INDArray dSeq = Nd4j.create(dataType, batch, g.tokenCount(), d);
            for (int l = 0; l < g.layerCount(); l++) {
                INDArray dTokens = g.tokens(epsilon, l);
                INDArray dHidden = Ops.linearBackward(hidden[l], getParam("W" + l), dTokens, grads, "W" + l, "b" + l);
                int t0 = g.firstToken(l);
                dSeq.get(NDArrayIndex.all(), NDArrayIndex.interval(t0, t0 + g.units(l)), NDArrayIndex.all())
                        .assign(dHidden.reshape('c', batch, g.units(l), d));
            }
            return dSeq.reshape('c', batch, (long) g.tokenCount() * d);
        }

        @Override
        void clearCache() { hidden = null; }
    }
}
