package org.hyperrep.encoder;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One pre-norm transformer block on a token sequence [batch, L·dModel] (docs/method.md):
 * <pre>
 *   x1 = x  + Drop(MHA(LN1(x)))
 *   y  = x1 + Drop(W2·Drop(ReLU(W1·LN2(x1) + b1)) + b2)
 * </pre>
 * Multi-head self-attention is written as batched matrix products over [batch, heads, L, dHead]. Forward and
 * backward passes are explicit (DL4J 1.0.0-M2.1's {@code SelfAttentionLayer} and SameDiff layers return wrong
 * gradients, docs/stack.md). Dropout is active only in training.
 *
 * <p>Parameters: {@code ln1g, ln1b} (layer norm 1), {@code Wqkv} [d, 3d] and {@code bqkv} (query, key and value
 * projections side by side), {@code Wo, bo} (attention output), {@code ln2g, ln2b}, {@code W1, b1, W2, b2}
 * (feed-forward). {@code Wo} and {@code W2} start at zero, so a new block is the identity: with random init each
 * branch added an offset of order one that is the same for every sample (the normalised compression token through
 * the feed-forward layer, the decoder's tokens likewise), which saturated the tanh bottleneck (|z| ≈ 0.9 at init,
 * spread across samples 0.08) and started the reconstruction at R² ≈ −1.5; the first epochs then only unlearned
 * that offset, with one gradient for all samples that pushed z further into saturation.
 */
public class TransformerBlock extends TokenLayerConf {
    @JsonProperty
    private int positions;
    @JsonProperty
    private int dModel;
    @JsonProperty
    private int heads;
    @JsonProperty
    private int ffDim;
    @JsonProperty
    private double dropout;

    public TransformerBlock() { }   // Jackson

    /**
     * @param positions sequence length L
     * @param dropout   drop probability, 0 for none
     */
    public TransformerBlock(int positions, int dModel, int heads, int ffDim, double dropout) {
        if (dModel % heads != 0) throw new IllegalArgumentException("dModel " + dModel + " not divisible by heads " + heads);
        this.positions = positions;
        this.dModel = dModel;
        this.heads = heads;
        this.ffDim = ffDim;
        this.dropout = dropout;
    }

    @Override
    List<ParamSpec> paramSpecs() {
        return List.of(
                ParamSpec.gain("ln1g", dModel), ParamSpec.bias("ln1b", dModel),
                ParamSpec.matrix("Wqkv", dModel, 3L * dModel), ParamSpec.bias("bqkv", 3L * dModel),
                ParamSpec.residualOutput("Wo", dModel, dModel), ParamSpec.bias("bo", dModel),
                ParamSpec.gain("ln2g", dModel), ParamSpec.bias("ln2b", dModel),
                ParamSpec.matrix("W1", dModel, ffDim), ParamSpec.bias("b1", ffDim),
                ParamSpec.residualOutput("W2", ffDim, dModel), ParamSpec.bias("b2", dModel));
    }

    @Override
    public long inputSize() { return (long) positions * dModel; }

    @Override
    public long outputSize() { return inputSize(); }

    @Override
    TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) { return new Runtime(conf, dataType); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformerBlock t && super.equals(o) && t.positions == positions && t.dModel == dModel
                && t.heads == heads && t.ffDim == ffDim && t.dropout == dropout;
    }

    @Override
    public int hashCode() { return Objects.hash(super.hashCode(), positions, dModel, heads, ffDim, dropout); }

    static final class Runtime extends TokenLayerRuntime<TransformerBlock> {
        private final Ops.LayerNorm ln1 = new Ops.LayerNorm();
        private final Ops.LayerNorm ln2 = new Ops.LayerNorm();
        private long batch;
        private INDArray h1;            // LN1(x) [n, d]
        private INDArray q, k, v;       // [b, H, L, dh] (views of one [3, b, H, L, dh] array)
        private INDArray attn;          // softmax weights [b, H, L, L]
        private INDArray context;       // [n, d] attention output before Wo
        private INDArray mask1, mask2, mask3;   // inverted-dropout masks or null
        private INDArray h2;            // LN2(x1) [n, d]
        private INDArray pre1;          // W1·h2 + b1 [n, ff]
        private INDArray hidden;        // Drop(ReLU(pre1)) [n, ff]

        Runtime(NeuralNetConfiguration conf, DataType dataType) { super(conf, dataType); }

        private int heads() { return layerConf().heads; }

        private int dHead() { return layerConf().dModel / layerConf().heads; }

        private static INDArray part(INDArray stacked, int i) {
            return stacked.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
        }

        @Override
        INDArray forward(INDArray input, boolean training) {
            TransformerBlock c = layerConf();
            batch = input.size(0);
            int L = c.positions;
            double p = training ? c.dropout : 0;
            INDArray x = input.reshape('c', batch * L, c.dModel);

            h1 = ln1.forward(x, getParam("ln1g"), getParam("ln1b"));
            // [n, 3d] → [b, L, 3, H, dh] → [3, b, H, L, dh]
            INDArray qkv = Ops.linear(h1, getParam("Wqkv"), getParam("bqkv"))
                    .reshape('c', batch, L, 3, heads(), dHead()).permute(2, 0, 3, 1, 4).dup('c');
            q = part(qkv, 0);
            k = part(qkv, 1);
            v = part(qkv, 2);
            INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(1.0 / Math.sqrt(dHead()));
            attn = Ops.softmaxRowsInPlace(scores.reshape('c', batch * heads() * L, L)).reshape('c', batch, heads(), L, L);
            context = Nd4j.matmul(attn, v).permute(0, 2, 1, 3).dup('c').reshape('c', batch * L, c.dModel);
            INDArray a = Ops.linear(context, getParam("Wo"), getParam("bo"));
            mask1 = Ops.dropoutMask(a, p);
            if (mask1 != null) a.muli(mask1);
            INDArray x1 = a.addi(x);

            h2 = ln2.forward(x1, getParam("ln2g"), getParam("ln2b"));
            pre1 = Ops.linear(h2, getParam("W1"), getParam("b1"));
            hidden = Transforms.relu(pre1, true);
            mask2 = Ops.dropoutMask(hidden, p);
            if (mask2 != null) hidden.muli(mask2);
            INDArray f = Ops.linear(hidden, getParam("W2"), getParam("b2"));
            mask3 = Ops.dropoutMask(f, p);
            if (mask3 != null) f.muli(mask3);
            return f.addi(x1).reshape('c', batch, (long) L * c.dModel);
        }

        @Override
        INDArray backward(INDArray epsilon, Map<String, INDArray> grads) {
            TransformerBlock c = layerConf();
            int L = c.positions;
            INDArray dy = epsilon.reshape('c', batch * L, c.dModel);

            // feed-forward half: y = x1 + Drop(FF(LN2(x1)))
            INDArray dF = mask3 == null ? dy : dy.mul(mask3);
            INDArray dHidden = Ops.linearBackward(hidden, getParam("W2"), dF, grads, "W2", "b2");
            if (mask2 != null) dHidden.muli(mask2);
            dHidden.muli(pre1.gt(0).castTo(dataType));
            INDArray dH2 = Ops.linearBackward(h2, getParam("W1"), dHidden, grads, "W1", "b1");
            INDArray dX1 = ln2.backward(dH2, getParam("ln2g"), grads, "ln2g", "ln2b").addi(dy);

            // attention half: x1 = x + Drop(MHA(LN1(x)))
            INDArray dA = mask1 == null ? dX1 : dX1.mul(mask1);
            INDArray dContext = Ops.linearBackward(context, getParam("Wo"), dA, grads, "Wo", "bo")
                    .reshape('c', batch, L, heads(), dHead()).permute(0, 2, 1, 3);          // [b, H, L, dh]
            INDArray dAttn = Nd4j.matmul(dContext, v, false, true, false);                // [b, H, L, L]
            INDArray dV = Nd4j.matmul(attn, dContext, true, false, false);                // [b, H, L, dh]
            INDArray dAttn2 = dAttn.reshape('c', batch * heads() * L, L);
            INDArray attn2 = attn.reshape('c', batch * heads() * L, L);
            INDArray rowDot = dAttn2.mul(attn2).sum(true, 1);
            INDArray dScores = dAttn2.subiColumnVector(rowDot).muli(attn2).muli(1.0 / Math.sqrt(dHead()))
                    .reshape('c', batch, heads(), L, L);
            INDArray dQ = Nd4j.matmul(dScores, k);                                         // [b, H, L, dh]
            INDArray dK = Nd4j.matmul(dScores, q, true, false, false);                    // [b, H, L, dh]
            // [3, b, H, L, dh] → [b, L, 3, H, dh] → [n, 3d]
            INDArray dQkv = Nd4j.stack(0, dQ, dK, dV).permute(1, 3, 0, 2, 4).dup('c').reshape('c', batch * L, 3L * c.dModel);
            INDArray dH1 = Ops.linearBackward(h1, getParam("Wqkv"), dQkv, grads, "Wqkv", "bqkv");
            INDArray dX = ln1.backward(dH1, getParam("ln1g"), grads, "ln1g", "ln1b").addi(dX1);
            return dX.reshape('c', batch, (long) L * c.dModel);
        }

        @Override
        void clearCache() {
            ln1.clear();
            ln2.clear();
            h1 = q = k = v = attn = context = mask1 = mask2 = mask3 = h2 = pre1 = hidden = null;
        }
    }
}
