package org.hyperrep.weights;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical layout of a flat weight vector: its layers in network order (docs/method.md). Stored in the zoo
 * manifest and the single source of truth for every reader of weights.
 */
public final class WeightLayout implements Serializable {
    private final String architecture;
    private final List<LayerLayout> layers;

    @JsonCreator
    public WeightLayout(@JsonProperty("architecture") String architecture,
                        @JsonProperty("layers") List<LayerLayout> layers) {
        this.architecture = architecture;
        this.layers = List.copyOf(layers);
        int expected = 0;
        for (LayerLayout l : this.layers) {
            if (l.offset() != expected) {
                throw new IllegalArgumentException("layer " + l.name() + " starts at " + l.offset()
                        + " but the previous layer ends at " + expected);
            }
            expected = l.end();
        }
    }

    /** Builds a layout from layer shapes, assigning offsets in order. */
    public static Builder builder(String architecture) { return new Builder(architecture); }

    @JsonProperty
    public String architecture() { return architecture; }

    @JsonProperty
    public List<LayerLayout> layers() { return layers; }

    /** Length of the canonical vector. */
    @JsonIgnore
    public int size() { return layers.isEmpty() ? 0 : layers.get(layers.size() - 1).end(); }

    public LayerLayout layer(String name) {
        for (LayerLayout l : layers) {
            if (l.name().equals(name)) return l;
        }
        throw new IllegalArgumentException("no layer '" + name + "' in the layout of " + architecture);
    }

    /** Total number of neuron tokens (one per output unit of every layer). */
    @JsonIgnore
    public int tokenCount() { return layers.stream().mapToInt(LayerLayout::out).sum(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightLayout w && w.architecture.equals(architecture) && w.layers.equals(layers);
    }

    @Override
    public int hashCode() { return architecture.hashCode() * 31 + layers.hashCode(); }

    @Override
    public String toString() { return "WeightLayout[" + architecture + ", " + size() + " parameters, " + layers + "]"; }

    public static final class Builder {
        private final String architecture;
        private final List<LayerLayout> layers = new ArrayList<>();
        private int offset;

        private Builder(String architecture) { this.architecture = architecture; }

        public Builder dense(String name, int in, int out, boolean bias) {
            return dense(name, in, out, bias, 1);
        }

        /** A dense layer whose input columns come in blocks of {@code inputsPerUnit} per previous unit. */
        public Builder dense(String name, int in, int out, boolean bias, int inputsPerUnit) {
            return add(new LayerLayout(name, "dense", out, in, 1, 1, bias, offset, inputsPerUnit));
        }

        public Builder conv(String name, int in, int out, int kh, int kw, boolean bias) {
            return add(new LayerLayout(name, "conv", out, in, kh, kw, bias, offset, 1));
        }

        private Builder add(LayerLayout l) {
            layers.add(l);
            offset = l.end();
            return this;
        }

        public WeightLayout build() { return new WeightLayout(architecture, layers); }
    }
}
