package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.Collection;
import java.util.Objects;

/**
 * A network's classifier head as one DL4J output layer, computed with plain Java loops
 * ({@link FusedDenseHeadRuntime}): flatten → Dense nIn→hidden with an activation → [dropout] → Dense hidden→classes
 * → softmax, trained with the negative log-likelihood (MCXENT). Same function, parameters, initialisation (DL4J's
 * dense initializer, weights drawn in the same order), regularisation (weights only) and dropout masks (DL4J's own
 * {@code Dropout} on the hidden activations) as DL4J's {@code DenseLayer} [+ {@code DropoutLayer}] +
 * {@code OutputLayer}, so a seed gives the same model either way.
 *
 * <p>Why: cnn-s's head is 36→20→10. Its arithmetic takes microseconds, but as two DL4J layers (plus the flatten
 * preprocessor and, with dropout, a third layer) it cost about half a millisecond per training iteration in op
 * dispatch, workspaces and shape descriptors: a tenth of the whole iteration once the convolutions were fused.
 *
 * <p>Parameters: {@code W} [nIn, hidden] and {@code b} [hidden] of the hidden dense layer, {@code W2}
 * [hidden, classes] and {@code b2} [classes] of the output layer, DL4J's dense shapes and order; the canonical
 * layout maps its layers {@link #getHiddenName()} and {@link #getLayerName()} onto them
 * ({@link LayeredArchitecture}). Inputs of any rank are flattened per example in c order (channel-major for
 * [n, c, h, w], as DL4J's CNN-to-dense preprocessor).
 */
public class FusedDenseHead extends OutputLayer {
    private static final long serialVersionUID = 1L;

    private String hiddenName;
    private long hidden;
    private IActivation hiddenActivation;
    private double hiddenRetain = 1.0;   // probability to keep a hidden unit in training; 1 = no dropout

    /** For DL4J's JSON (de)serialization. */
    public FusedDenseHead() {
        super();
    }

    private FusedDenseHead(OutputLayer.Builder builder) {
        super(builder);
    }

    /**
     * Dense {@code hiddenName} (hidden units, activation) [→ dropout keeping {@code retain}] → Dense {@code name}
     * (classes, softmax).
     */
    public static FusedDenseHead of(String hiddenName, int hidden, Activation activation, double retain,
                                    String name, int classes) {
        if (!(retain > 0 && retain <= 1)) throw new IllegalArgumentException("retain probability must be in (0, 1], got " + retain);
        FusedDenseHead h = new FusedDenseHead(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name(name)
                .nOut(classes).activation(Activation.SOFTMAX).hasBias(true));
        h.hiddenName = hiddenName;
        h.hidden = hidden;
        h.hiddenActivation = activation.getActivationFunction();
        h.hiddenRetain = retain;
        FusedConvRuntime.activationCode(h.hiddenActivation);   // refuses unsupported activations now
        return h;
    }

    public String getHiddenName() { return hiddenName; }

    public void setHiddenName(String hiddenName) { this.hiddenName = hiddenName; }

    public long getHidden() { return hidden; }

    public void setHidden(long hidden) { this.hidden = hidden; }

    public IActivation getHiddenActivation() { return hiddenActivation; }

    public void setHiddenActivation(IActivation hiddenActivation) { this.hiddenActivation = hiddenActivation; }

    public double getHiddenRetain() { return hiddenRetain; }

    public void setHiddenRetain(double hiddenRetain) { this.hiddenRetain = hiddenRetain; }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                         Collection<TrainingListener> listeners, int layerIndex,
                                                         INDArray layerParamsView, boolean initializeParams,
                                                         DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FusedDenseHead", getLayerName(), layerIndex, getNIn(), getNOut());
        if (!(getActivationFn() instanceof ActivationSoftmax) || !(getLossFn() instanceof LossMCXENT m)
                || m.getWeights() != null || getIDropout() != null) {
            throw new IllegalArgumentException("layer '" + getLayerName() + "': FusedDenseHead computes softmax with an "
                    + "unweighted MCXENT loss and no input dropout only");
        }
        FusedDenseHeadRuntime layer = new FusedDenseHeadRuntime(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() { return FusedDenseHeadParams.INSTANCE; }

    /** Takes convolutional or flat inputs as they are: the runtime flattens them itself. */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) { return null; }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(getNOut());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) nIn = inputType.arrayElementsPerExample();
    }

    @Override
    public FusedDenseHead clone() {
        return (FusedDenseHead) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedDenseHead f && super.equals(o) && Objects.equals(f.hiddenName, hiddenName)
                && f.hidden == hidden && Objects.equals(f.hiddenActivation, hiddenActivation)
                && f.hiddenRetain == hiddenRetain;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), hiddenName, hidden, hiddenActivation, hiddenRetain);
    }
}
