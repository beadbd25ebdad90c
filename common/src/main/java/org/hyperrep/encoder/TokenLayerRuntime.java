package org.hyperrep.encoder;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * Runtime side of the hand-written encoder layers: an explicit forward pass that caches what its backward pass
 * needs, and an explicit backward pass. Both run outside DL4J's workspaces (the caches must outlive the
 * forward pass's workspace), so activations and input gradients are handed back as detached arrays, which DL4J's
 * workspace manager passes through. Implementations must not modify their input or epsilon arrays in place. Written by hand because SameDiff-based layers return wrong gradients on DL4J 1.0.0-M2.x
 * (docs/stack.md); the gradient-check tests keep these honest.
 */
abstract class TokenLayerRuntime<C extends TokenLayerConf> extends BaseLayer<C> {

    TokenLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Forward pass on a [batch, inputSize] matrix of the network's data type; caches for {@link #backward}. */
    abstract INDArray forward(INDArray input, boolean training);

    /**
     * Backward pass for the most recent {@link #forward}: fills {@code grads} with dLoss/dParam for every
     * parameter key and returns dLoss/dInput.
     */
    abstract INDArray backward(INDArray epsilon, Map<String, INDArray> grads);

    /** Drops the forward caches. */
    abstract void clearCache();

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray out;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray x = input.castTo(dataType);
            if (x.size(1) != layerConf().inputSize()) {
                throw new IllegalArgumentException("layer '" + layerConf().getLayerName() + "' expects "
                        + layerConf().inputSize() + " input features, got " + x.size(1));
            }
            out = forward(x, training);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);   // detached arrays pass through uncopied
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Gradient gradient = new DefaultGradient();
        INDArray dInput;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> grads = new HashMap<>();
            dInput = backward(epsilon.castTo(dataType), grads);
            for (String key : paramTable().keySet()) {
                INDArray g = grads.get(key);
                if (g == null) throw new IllegalStateException(getClass().getSimpleName() + " computed no gradient for " + key);
                INDArray view = gradientViews.get(key);
                view.assign(g.reshape(view.shape()));
                gradient.gradientForVariable().put(key, view);
            }
        }
        this.gradient = gradient;
        return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dInput));
    }

    @Override
    public boolean isPretrainLayer() { return false; }

    @Override
    public boolean hasBias() { return false; }

    @Override
    public void clearNoiseWeightParams() { }

    @Override
    public void clear() {
        super.clear();
        clearCache();
    }
}
