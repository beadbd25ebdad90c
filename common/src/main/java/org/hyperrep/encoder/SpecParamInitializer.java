package org.hyperrep.encoder;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter views and initialisation for the hand-written layers, driven by their {@link ParamSpec} lists: each
 * parameter is a c-order view into the layer's slice of the network's flat parameter (or gradient) vector.
 */
final class SpecParamInitializer implements ParamInitializer {
    static final SpecParamInitializer INSTANCE = new SpecParamInitializer();

    private SpecParamInitializer() { }

    private static List<ParamSpec> specs(Layer layer) {
        if (!(layer instanceof TokenLayerConf t)) {
            throw new IllegalArgumentException("not a hyperrep token layer: " + layer.getClass().getName());
        }
        return t.paramSpecs();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) { return numParams(conf.getLayer()); }

    @Override
    public long numParams(Layer layer) { return specs(layer).stream().mapToLong(ParamSpec::length).sum(); }

    @Override
    public List<String> paramKeys(Layer layer) { return specs(layer).stream().map(ParamSpec::key).toList(); }

    @Override
    public List<String> weightKeys(Layer layer) {
        return specs(layer).stream().filter(ParamSpec::weight).map(ParamSpec::key).toList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return specs(layer).stream().filter(p -> !p.weight()).map(ParamSpec::key).toList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) { return weightKeys(layer).contains(key); }

    @Override
    public boolean isBiasParam(Layer layer, String key) { return biasKeys(layer).contains(key); }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = views(conf, paramsView);
        for (ParamSpec p : specs(conf.getLayer())) {
            conf.addVariable(p.key());
            if (initializeParams) initialize(conf, p, views.get(p.key()));
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf, gradientView);
    }

    private Map<String, INDArray> views(NeuralNetConfiguration conf, INDArray flat) {
        List<ParamSpec> specs = specs(conf.getLayer());
        long total = specs.stream().mapToLong(ParamSpec::length).sum();
        if (total == 0 && flat == null) return new LinkedHashMap<>();   // DL4J gives parameter-free layers no view
        if (flat == null || flat.length() != total) {
            throw new IllegalStateException("layer " + conf.getLayer().getLayerName() + " expects " + total
                    + " parameters, got a view of " + (flat == null ? "none" : flat.length()));
        }
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        for (ParamSpec p : specs) {
            INDArray view = vector.get(NDArrayIndex.interval(offset, offset + p.length())).reshape('c', p.shape());
            out.put(p.key(), view);
            offset += p.length();
        }
        return out;
    }

    private static void initialize(NeuralNetConfiguration conf, ParamSpec p, INDArray view) {
        switch (p.init()) {
            case ZERO -> view.assign(0);
            case ONE -> view.assign(1);
            case EMBEDDING -> view.assign(Nd4j.randn(view.dataType(), view.shape()).muli(p.std()));
            case WEIGHT -> {
                IWeightInit wi = ((TokenLayerConf) conf.getLayer()).getWeightInitFn();
                if (wi == null) wi = new WeightInitXavier();
                INDArray init = wi.init(p.shape()[0], p.shape()[1], p.shape(), 'c', view);
                if (init != view) view.assign(init);
            }
        }
    }
}
