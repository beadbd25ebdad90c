package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * A small convolution, optionally followed by 2×2/stride-2 max pooling, followed by its activation, computed in
 * one DL4J layer with plain Java loops ({@link FusedConvRuntime}): {@code act(maxpool2(conv(x) + b))} or
 * {@code act(conv(x) + b)}. Same function, same parameters ({@code W} [out, in, kh, kw], {@code b} [out]), same
 * parameter initialisation (DL4J's {@link ConvolutionParamInitializer}, so a seed gives the same weights) as a
 * DL4J {@link ConvolutionLayer} with identity activation + {@code SubsamplingLayer} + {@code ActivationLayer}.
 *
 * <p>Why: cnn-s's tensors are tiny (8 filters on 28×28 at batch 32), so DL4J's per-operation overhead (workspaces,
 * shape descriptors, op dispatch, format permutes) cost more than the arithmetic: about 60% of a training
 * iteration's main-thread CPU was Java-side DL4J code with the oneDNN helpers on (perf, 2026-11-29). Limits: NCHW,
 * stride 1, no padding (ConvolutionMode Truncate), no dilation; activations identity, tanh, relu, sigmoid, gelu
 * (DL4J's sigmoid form); anything else is refused when the layer is built.
 *
 * <p>{@code inputGradient = false} skips computing dLoss/dInput (a network's first layer: nobody reads it) and
 * returns a zero array instead.
 */
public class FusedConvLayer extends ConvolutionLayer {
    private static final long serialVersionUID = 1L;

    private int pool;                    // 0 = no pooling, 2 = 2×2 max pooling, stride 2
    private boolean inputGradient = true;

    /** For DL4J's JSON (de)serialization. */
    public FusedConvLayer() {
        super();
    }

    FusedConvLayer(ConvolutionLayer.Builder builder, int pool, boolean inputGradient) {
        super(builder);
        if (pool != 0 && pool != 2) throw new IllegalArgumentException("pool must be 0 or 2, got " + pool);
        this.pool = pool;
        this.inputGradient = inputGradient;
    }

    /** A stride-1, unpadded convolution with {@code filters} k×k filters, [2×2 max pooling,] activation. */
    public static FusedConvLayer of(String name, int filters, int kernel, boolean maxPool2, Activation activation,
                                    boolean inputGradient) {
        ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(kernel, kernel).name(name).nOut(filters)
                .stride(1, 1).padding(0, 0).convolutionMode(ConvolutionMode.Truncate)
                .dataFormat(CNN2DFormat.NCHW).activation(activation);
        FusedConvLayer l = new FusedConvLayer(b, maxPool2 ? 2 : 0, inputGradient);
        FusedConvRuntime.activationCode(l.getActivationFn());   // refuses unsupported activations now
        return l;
    }

    public int getPool() { return pool; }

    public void setPool(int pool) { this.pool = pool; }

    public boolean isInputGradient() { return inputGradient; }

    public void setInputGradient(boolean inputGradient) { this.inputGradient = inputGradient; }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                         Collection<TrainingListener> listeners, int layerIndex,
                                                         INDArray layerParamsView, boolean initializeParams,
                                                         DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FusedConvLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        checkSupported();
        FusedConvRuntime layer = new FusedConvRuntime(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() { return ConvolutionParamInitializer.getInstance(); }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional conv = (InputType.InputTypeConvolutional) super.getOutputType(layerIndex, inputType);
        if (pool == 0) return conv;
        if (conv.getHeight() % 2 != 0 || conv.getWidth() % 2 != 0) {
            throw new IllegalArgumentException("layer '" + getLayerName() + "': 2x2 max pooling needs an even "
                    + "convolution output, got " + conv.getHeight() + "x" + conv.getWidth());
        }
        return InputType.convolutional(conv.getHeight() / 2, conv.getWidth() / 2, conv.getChannels(), CNN2DFormat.NCHW);
    }

    private void checkSupported() {
        boolean ok = getCnn2dDataFormat() == CNN2DFormat.NCHW && stride[0] == 1 && stride[1] == 1
                && padding[0] == 0 && padding[1] == 0 && dilation[0] == 1 && dilation[1] == 1
                && convolutionMode != ConvolutionMode.Same && convolutionMode != ConvolutionMode.Causal;
        if (!ok) {
            throw new IllegalArgumentException("layer '" + getLayerName() + "': FusedConvLayer supports NCHW, stride 1, "
                    + "no padding, no dilation only");
        }
        FusedConvRuntime.activationCode(getActivationFn());
    }

    @Override
    public FusedConvLayer clone() {
        return (FusedConvLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedConvLayer f && super.equals(o) && f.pool == pool && f.inputGradient == inputGradient;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), pool, inputGradient);
    }
}
