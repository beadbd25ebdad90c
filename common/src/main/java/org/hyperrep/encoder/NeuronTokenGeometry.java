package org.hyperrep.encoder;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Where the neuron tokens (docs/method.md) sit in a batch of canonical weight vectors: token j of layer l is row j
 * of the layer's [out, fanIn] weight block followed by bias j. Converts a [batch, P] matrix into one
 * [batch·out_l, width_l] token matrix per layer and back, in canonical order, without padding.
 *
 * <p>Holds plain arrays only, so that the DL4J layer configurations that embed it serialise with DL4J's Jackson.
 */
public final class NeuronTokenGeometry implements Serializable {
    @JsonProperty
    private int size;
    @JsonProperty
    private int[] weightOffsets;
    @JsonProperty
    private int[] biasOffsets;   // -1 when the layer has no bias
    @JsonProperty
    private int[] units;
    @JsonProperty
    private int[] fanIns;

    private NeuronTokenGeometry() { }   // Jackson

    public NeuronTokenGeometry(WeightLayout layout) {
        int n = layout.layers().size();
        if (n == 0) throw new IllegalArgumentException("layout " + layout.architecture() + " has no layers");
        size = layout.size();
        weightOffsets = new int[n];
        biasOffsets = new int[n];
        units = new int[n];
        fanIns = new int[n];
        for (int l = 0; l < n; l++) {
            LayerLayout ll = layout.layers().get(l);
            weightOffsets[l] = ll.offset();
            biasOffsets[l] = ll.bias() ? ll.biasOffset() : -1;
            units[l] = ll.out();
            fanIns[l] = ll.fanIn();
        }
    }

    /** Length P of the canonical vector. */
    public int size() { return size; }

    public int layerCount() { return units.length; }

    /** Tokens (output units) of layer l. */
    public int units(int l) { return units[l]; }

    /** Token width of layer l: fanIn plus one if the layer has a bias. */
    public int width(int l) { return fanIns[l] + (biasOffsets[l] >= 0 ? 1 : 0); }

    /** Total number of tokens T. */
    public int tokenCount() { return Arrays.stream(units).sum(); }

    /** Index of the first token of layer l in the token sequence. */
    public int firstToken(int l) {
        int t = 0;
        for (int i = 0; i < l; i++) t += units[i];
        return t;
    }

    /** The tokens of layer l for a batch: [batch·units(l), width(l)], sample-major (row s·units + j). */
    public INDArray tokens(INDArray flat, int l) {
        checkFlat(flat);
        long b = flat.size(0);
        int u = units[l];
        int f = fanIns[l];
        INDArray w = flat.get(NDArrayIndex.all(), NDArrayIndex.interval(weightOffsets[l], weightOffsets[l] + u * f))
                .dup('c').reshape('c', b * u, f);
        if (biasOffsets[l] < 0) return w;
        INDArray bias = flat.get(NDArrayIndex.all(), NDArrayIndex.interval(biasOffsets[l], biasOffsets[l] + u))
                .dup('c').reshape('c', b * u, 1);
        return Nd4j.concat(1, w, bias);
    }

    /** Writes the token matrix of layer l (shape as returned by {@link #tokens}) into its columns of {@code flat}. */
    public void scatter(INDArray tokens, int l, INDArray flat) {
        checkFlat(flat);
        long b = flat.size(0);
        int u = units[l];
        int f = fanIns[l];
        if (tokens.size(0) != b * u || tokens.size(1) != width(l)) {
            throw new IllegalArgumentException("layer " + l + ": expected tokens [" + b * u + ", " + width(l)
                    + "], got " + Arrays.toString(tokens.shape()));
        }
        flat.get(NDArrayIndex.all(), NDArrayIndex.interval(weightOffsets[l], weightOffsets[l] + u * f))
                .assign(tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(0, f)).dup('c').reshape('c', b, u * f));
        if (biasOffsets[l] >= 0) {
            flat.get(NDArrayIndex.all(), NDArrayIndex.interval(biasOffsets[l], biasOffsets[l] + u))
                    .assign(tokens.get(NDArrayIndex.all(), NDArrayIndex.point(f)).dup('c').reshape('c', b, u));
        }
    }

    private void checkFlat(INDArray flat) {
        if (flat.rank() != 2 || flat.size(1) != size) {
            throw new IllegalArgumentException("expected a [batch, " + size + "] matrix of canonical weight vectors, got "
                    + Arrays.toString(flat.shape()));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NeuronTokenGeometry g && g.size == size && Arrays.equals(g.weightOffsets, weightOffsets)
                && Arrays.equals(g.biasOffsets, biasOffsets) && Arrays.equals(g.units, units)
                && Arrays.equals(g.fanIns, fanIns);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(units) + Arrays.hashCode(fanIns)) + Arrays.hashCode(weightOffsets) + size;
    }

    @Override
    public String toString() {
        return "NeuronTokenGeometry[P=" + size + ", units=" + Arrays.toString(units) + ", fanIns="
                + Arrays.toString(fanIns) + "]";
    }
}
