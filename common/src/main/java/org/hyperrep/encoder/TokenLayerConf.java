package org.hyperrep.encoder;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Configuration side of the hand-written encoder layers. They all read and write feed-forward activations
 * [batch, features]; a token sequence is stored flattened as [batch, L·dModel] (c-order [batch, L, dModel]), so
 * reshaping between the two is free and DL4J never inserts preprocessors.
 *
 * <p>Subclasses must keep a public no-arg constructor and mark their fields with the shaded
 * {@code org.nd4j.shade.jackson.annotation.JsonProperty}: DL4J's configuration JSON (and so ModelSerializer) sees
 * bean getters only, and silently drops other fields.
 */
public abstract class TokenLayerConf extends BaseLayer {

    protected TokenLayerConf() { }

    /** The parameter arrays of this layer, in the order they sit in the flat parameter vector. */
    abstract List<ParamSpec> paramSpecs();

    /** Features per example this layer expects. */
    public abstract long inputSize();

    /** Features per example this layer produces. */
    public abstract long outputSize();

    abstract TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                         Collection<TrainingListener> listeners, int layerIndex,
                                                         INDArray layerParamsView, boolean initializeParams,
                                                         DataType networkDataType) {
        TokenLayerRuntime<?> layer = createRuntime(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() { return SpecParamInitializer.INSTANCE; }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        checkInput(inputType);
        return InputType.feedForward(outputSize());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) { checkInput(inputType); }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) { return null; }

    @Override
    public boolean isPretrainParam(String paramName) { return false; }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long n = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, InputType.feedForward(outputSize()))
                .standardMemory(n, 2 * n)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    private void checkInput(InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.FF
                || inputType.arrayElementsPerExample() != inputSize()) {
            throw new IllegalArgumentException("layer '" + layerName + "' (" + getClass().getSimpleName()
                    + ") expects feed-forward input of " + inputSize() + " features, got " + inputType);
        }
    }
}
