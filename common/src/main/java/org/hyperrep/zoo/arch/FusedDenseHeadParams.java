package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of a {@link FusedDenseHead}: {@code W} [nIn, hidden], {@code b} [hidden], {@code W2}
 * [hidden, classes], {@code b2} [classes], in this order in the layer's view, weights in DL4J's 'f' order.
 * Initialised with DL4J's dense initializer, hidden weights first: the random draws are the same as those of a
 * {@code DenseLayer} followed by an {@code OutputLayer}.
 */
final class FusedDenseHeadParams extends DefaultParamInitializer {
    static final FusedDenseHeadParams INSTANCE = new FusedDenseHeadParams();
    static final String W1 = WEIGHT_KEY, B1 = BIAS_KEY, W2 = "W2", B2 = "b2";
    private static final List<String> KEYS = List.of(W1, B1, W2, B2);

    private FusedDenseHeadParams() { }

    private static FusedDenseHead head(Layer l) { return (FusedDenseHead) l; }

    /** {nIn, hidden, classes}. */
    static long[] sizes(Layer l) {
        FusedDenseHead h = head(l);
        return new long[]{h.getNIn(), h.getHidden(), h.getNOut()};
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) { return numParams(conf.getLayer()); }

    @Override
    public long numParams(Layer l) {
        long[] s = sizes(l);
        return s[0] * s[1] + s[1] + s[1] * s[2] + s[2];
    }

    @Override
    public List<String> paramKeys(Layer layer) { return KEYS; }

    @Override
    public List<String> weightKeys(Layer layer) { return List.of(W1, W2); }

    @Override
    public List<String> biasKeys(Layer layer) { return List.of(B1, B2); }

    @Override
    public boolean isWeightParam(Layer layer, String key) { return W1.equals(key) || W2.equals(key); }

    @Override
    public boolean isBiasParam(Layer layer, String key) { return B1.equals(key) || B2.equals(key); }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        FusedDenseHead h = head(conf.getLayer());
        Map<String, INDArray> m = views(conf.getLayer(), paramsView);
        long[] s = sizes(h);
        // createWeightMatrix/createBias as DL4J's DenseLayer and OutputLayer: same draws, in the same order
        m.put(W1, createWeightMatrix(s[0], s[1], h.getWeightInitFn(), m.get(W1), initializeParams));
        m.put(B1, createBias(s[1], h.getBiasInit(), m.get(B1), initializeParams));
        m.put(W2, createWeightMatrix(s[1], s[2], h.getWeightInitFn(), m.get(W2), initializeParams));
        m.put(B2, createBias(s[2], h.getBiasInit(), m.get(B2), initializeParams));
        conf.addVariable(W1);
        conf.addVariable(B1);
        conf.addVariable(W2);
        conf.addVariable(B2);
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        Map<String, INDArray> m = views(conf.getLayer(), gradientView);
        long[] s = sizes(conf.getLayer());
        m.put(W1, m.get(W1).reshape('f', s[0], s[1]));
        m.put(W2, m.get(W2).reshape('f', s[1], s[2]));
        return m;
    }

    /** Flat (rank 1) views of the four parameters, as DL4J's dense initializer makes them. */
    private Map<String, INDArray> views(Layer l, INDArray flat) {
        long[] s = sizes(l);
        long o1 = s[0] * s[1], o2 = o1 + s[1], o3 = o2 + s[1] * s[2], o4 = o3 + s[2];
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(W1, row.get(NDArrayIndex.interval(0, o1)));
        m.put(B1, row.get(NDArrayIndex.interval(o1, o2)));
        m.put(W2, row.get(NDArrayIndex.interval(o2, o3)));
        m.put(B2, row.get(NDArrayIndex.interval(o3, o4)));
        return m;
    }
}
