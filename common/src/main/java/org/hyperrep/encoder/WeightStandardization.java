package org.hyperrep.encoder;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-layer standardization of canonical weight vectors with fixed statistics (docs/method.md, "Input
 * standardization"): every entry of zoo layer l becomes (w − mean_l) / std_l, or, as the {@code inverse}, w·std_l +
 * mean_l. The statistics are those of the training split, computed once when the encoder is built; they are part of
 * the layer's configuration, not parameters, so training never changes them and they travel inside the model file
 * to every place that embeds with it.
 *
 * <p>Zoo layers differ in scale by an order of magnitude or more (a 16-input layer initialised U(±1/4) beside a
 * 5-input one at U(±0.45); conv filters beside dense heads); without this, the neuron-token embeddings and the
 * reconstruction loss see mostly the widest-spread layer.
 */
public class WeightStandardization extends TokenLayerConf {
    @JsonProperty
    private int size;
    @JsonProperty
    private int[] layerEnds;
    @JsonProperty
    private double[] mean;
    @JsonProperty
    private double[] std;
    @JsonProperty
    private boolean inverse;

    public WeightStandardization() { }   // Jackson

    /**
     * @param mean    per layout layer, the mean of its entries (weights and bias) over the training split
     * @param std     per layout layer, their standard deviation (> 0)
     * @param inverse false: (w − mean)/std; true: w·std + mean
     */
    public WeightStandardization(WeightLayout layout, double[] mean, double[] std, boolean inverse) {
        List<LayerLayout> layers = layout.layers();
        if (mean.length != layers.size() || std.length != layers.size()) {
            throw new IllegalArgumentException("standardization needs one mean and std per layer (" + layers.size() + ")");
        }
        for (int l = 0; l < std.length; l++) {
            if (!(std[l] > 0) || !Double.isFinite(std[l]) || !Double.isFinite(mean[l])) {
                throw new IllegalArgumentException("layer " + layers.get(l).name() + ": mean " + mean[l] + ", std "
                        + std[l] + " (the std must be finite and > 0)");
            }
        }
        this.size = layout.size();
        this.layerEnds = layers.stream().mapToInt(LayerLayout::end).toArray();
        this.mean = mean.clone();
        this.std = std.clone();
        this.inverse = inverse;
    }

    @Override
    List<ParamSpec> paramSpecs() { return List.of(); }

    @Override
    public long inputSize() { return size; }

    @Override
    public long outputSize() { return size; }

    /** Per column: the factor a = 1/std (forward) or std (inverse) of y = a·x + c. */
    private INDArray columnScale(DataType type) {
        double[] a = new double[size];
        int from = 0;
        for (int l = 0; l < layerEnds.length; l++) {
            Arrays.fill(a, from, layerEnds[l], inverse ? std[l] : 1 / std[l]);
            from = layerEnds[l];
        }
        return Nd4j.createFromArray(a).castTo(type).reshape(1, size);
    }

    /** Per column: the shift c = −mean/std (forward) or mean (inverse). */
    private INDArray columnShift(DataType type) {
        double[] c = new double[size];
        int from = 0;
        for (int l = 0; l < layerEnds.length; l++) {
            Arrays.fill(c, from, layerEnds[l], inverse ? mean[l] : -mean[l] / std[l]);
            from = layerEnds[l];
        }
        return Nd4j.createFromArray(c).castTo(type).reshape(1, size);
    }

    @Override
    TokenLayerRuntime<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) { return new Runtime(conf, dataType); }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightStandardization w && super.equals(o) && w.size == size && w.inverse == inverse
                && Arrays.equals(w.layerEnds, layerEnds) && Arrays.equals(w.mean, mean) && Arrays.equals(w.std, std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), size, inverse, Arrays.hashCode(layerEnds), Arrays.hashCode(mean),
                Arrays.hashCode(std));
    }

    static final class Runtime extends TokenLayerRuntime<WeightStandardization> {
        private INDArray scale, shift;

        Runtime(NeuralNetConfiguration conf, DataType dataType) { super(conf, dataType); }

        private void prepare() {
            if (scale == null) {
                scale = layerConf().columnScale(dataType);
                shift = layerConf().columnShift(dataType);
            }
        }

        @Override
        INDArray forward(INDArray input, boolean training) {
            prepare();
            return input.mulRowVector(scale).addiRowVector(shift);
        }

        @Override
        INDArray backward(INDArray epsilon, Map<String, INDArray> grads) {
            prepare();
            return epsilon.mulRowVector(scale);
        }

        @Override
        void clearCache() { }
    }
}
