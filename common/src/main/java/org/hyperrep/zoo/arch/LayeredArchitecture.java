package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.GeneratingFactors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ObjectStreamException;
import java.util.Arrays;
import java.util.Map;

/**
 * An architecture whose parametrised DL4J layers carry the names of its {@link LayerLayout}s. The conversion to
 * and from the canonical vector looks layers up by that name, so parameter-free layers (pooling, activation,
 * dropout, which come and go with the factors) never shift the mapping.
 *
 * <p>DL4J stores conv weights as [out, in, kh, kw], already canonical, and dense weights as [in, out], which are
 * transposed. Biases are [1, out].
 */
abstract class LayeredArchitecture implements Architecture {
    private static final long serialVersionUID = 1L;

    /**
     * The memory layout the convolution and pooling layers compute in. Inputs stay [n, c, h, w] and weights and
     * canonical vectors do not depend on it (two {@link CnnFormatPreProcessor}s take care of that, see
     * {@link #configuration(GeneratingFactors, CNN2DFormat)}): the layout only picks oneDNN kernels. NHWC, because
     * oneDNN 2.3 (inside ND4J 1.0.0-M2.1's onednn build) runs max pooling on plain NCHW tensors with its slow
     * reference kernel ("simple_nchw": 2.7 ms forward and 0.8 ms backward for cnn-s's first pooling at batch 32) and
     * on NHWC with a JIT kernel (0.3-0.6 and 0.3 ms). Measured on cnn-s, batch 32, one thread: 13.9 instead of 18 ms
     * of main-thread CPU per iteration.
     */
    static final CNN2DFormat FORMAT = CNN2DFormat.NHWC;

    private final String name;
    private final int[] inputShape;
    private final int numClasses;
    private final WeightLayout layout;

    LayeredArchitecture(String name, int[] inputShape, int numClasses, WeightLayout layout) {
        this.name = name;
        this.inputShape = inputShape.clone();
        this.numClasses = numClasses;
        this.layout = layout;
    }

    @Override
    public String name() { return name; }

    @Override
    public int[] inputShape() { return inputShape.clone(); }

    @Override
    public int numClasses() { return numClasses; }

    @Override
    public WeightLayout layout() { return layout; }

    @Override
    public MultiLayerConfiguration configuration(GeneratingFactors factors) {
        return hasFusedLayers() ? fusedConfiguration(factors) : configuration(factors, FORMAT);
    }

    /**
     * Whether this architecture has a {@link FusedConvLayer} form ({@link #addFusedLayers}); if so, that form is
     * the one {@link #configuration(GeneratingFactors)} builds. It computes the same function with the same
     * parameters as the DL4J-layer form of {@link #configuration(GeneratingFactors, CNN2DFormat)}.
     */
    boolean hasFusedLayers() { return false; }

    /** Appends the layers of the fused form (NCHW throughout); only called when {@link #hasFusedLayers()}. */
    void addFusedLayers(NeuralNetConfiguration.ListBuilder list, GeneratingFactors factors) {
        throw new UnsupportedOperationException(name + " has no fused form");
    }

    /** The {@link FusedConvLayer} form: NCHW, no format preprocessors (DL4J's NCHW flatten is channel-major). */
    MultiLayerConfiguration fusedConfiguration(GeneratingFactors factors) {
        NeuralNetConfiguration.ListBuilder list = TrainingRecipe.builder(factors).list();
        addFusedLayers(list, factors);
        return list.setInputType(inputType()).build();
    }

    /**
     * The configuration built from DL4J's own layers, with convolution and pooling layers computing in the given
     * layout (tests compare both, and compare it with the fused form).
     * For NHWC, DL4J hands the input type's layout to every convolution, pooling and global pooling layer (their
     * setNIn), so one {@link CnnFormatPreProcessor} in front of the first layer switches the network to NHWC; a
     * second one in front of the CNN→dense flatten switches back, because DL4J 1.0.0-M2.1 flattens NHWC activations
     * channel-last and the canonical layout needs channel-major (ArchitectureCanonicalTest, ArchitectureFormatTest).
     */
    MultiLayerConfiguration configuration(GeneratingFactors factors, CNN2DFormat format) {
        NeuralNetConfiguration.ListBuilder list = TrainingRecipe.builder(factors).list();
        addLayers(list, factors);
        InputType input = inputType();
        boolean nhwc = input.getType() == InputType.Type.CNN && format == CNN2DFormat.NHWC;
        if (nhwc) {
            list.inputPreProcessor(0, new CnnFormatPreProcessor(CNN2DFormat.NCHW, CNN2DFormat.NHWC));
        }
        // The input type lets DL4J infer every nIn and insert the CNN→dense flatten.
        MultiLayerConfiguration conf = list.setInputType(input).build();
        if (nhwc) {
            for (Map.Entry<Integer, InputPreProcessor> e : conf.getInputPreProcessors().entrySet()) {
                if (e.getValue() instanceof CnnToFeedForwardPreProcessor flatten && flatten.getFormat() == CNN2DFormat.NHWC) {
                    e.setValue(new ComposableInputPreProcessor(
                            new CnnFormatPreProcessor(CNN2DFormat.NHWC, CNN2DFormat.NCHW),
                            new CnnToFeedForwardPreProcessor(flatten.getInputHeight(), flatten.getInputWidth(),
                                    flatten.getNumChannels(), CNN2DFormat.NCHW)));
                }
            }
        }
        return conf;
    }

    /** Appends the layers in network order; parametrised ones are named after their {@link LayerLayout}. */
    abstract void addLayers(NeuralNetConfiguration.ListBuilder list, GeneratingFactors factors);

    InputType inputType() {
        return InputType.convolutional(inputShape[1], inputShape[2], inputShape[0]);
    }

    @Override
    public float[] toCanonical(MultiLayerNetwork network) {
        float[] canonical = new float[layout.size()];
        for (LayerLayout l : layout.layers()) {
            INDArray w = weights(network, l);
            copyInto(isDense(l) ? w.transpose() : w, canonical, l.offset());
            if (l.bias()) {
                copyInto(bias(network, l), canonical, l.biasOffset());
            }
        }
        return canonical;
    }

    @Override
    public void fromCanonical(MultiLayerNetwork network, float[] canonical) {
        if (canonical.length != layout.size()) {
            throw new IllegalArgumentException(name + " needs a canonical vector of " + layout.size()
                    + " values, got " + canonical.length);
        }
        for (LayerLayout l : layout.layers()) {
            INDArray w = weights(network, l);
            long[] canonicalShape = isDense(l) ? new long[]{l.out(), l.in()} : new long[]{l.out(), l.in(), l.kh(), l.kw()};
            INDArray source = slice(canonical, l.offset(), l.weightCount(), canonicalShape);
            // assign() copies element by element into the network's parameter view: bitwise exact for FLOAT.
            w.assign(isDense(l) ? source.transpose() : source);
            if (l.bias()) {
                INDArray b = bias(network, l);
                b.assign(slice(canonical, l.biasOffset(), l.out(), b.shape()));
            }
        }
    }

    @Override
    public INDArray parameter(MultiLayerNetwork network, String layer, String key) {
        if (!DefaultParamInitializer.WEIGHT_KEY.equals(key) && !DefaultParamInitializer.BIAS_KEY.equals(key)) {
            throw new IllegalArgumentException("parameter key must be W or b, got " + key);
        }
        return param(network, layout.layer(layer), key);
    }

    /** Keeps one instance per architecture after Java deserialization (Spark ships architectures to workers). */
    protected Object readResolve() throws ObjectStreamException {
        return Architectures.byName(name);
    }

    @Override
    public String toString() { return name + " (" + parameterCount() + " parameters)"; }

    private static boolean isDense(LayerLayout l) { return "dense".equals(l.kind()); }

    private static long[] dl4jWeightShape(LayerLayout l) {
        return isDense(l) ? new long[]{l.in(), l.out()} : new long[]{l.out(), l.in(), l.kh(), l.kw()};
    }

    private INDArray weights(MultiLayerNetwork network, LayerLayout l) {
        INDArray w = param(network, l, DefaultParamInitializer.WEIGHT_KEY);
        long[] expected = dl4jWeightShape(l);
        if (!Arrays.equals(w.shape(), expected)) {
            throw mismatch(l, "W", Arrays.toString(w.shape()), Arrays.toString(expected));
        }
        return w;
    }

    /** Dense biases are [1, out], conv biases [out]: only the length is part of the contract. */
    private INDArray bias(MultiLayerNetwork network, LayerLayout l) {
        INDArray b = param(network, l, DefaultParamInitializer.BIAS_KEY);
        if (!b.isVector() && !b.isScalar() || b.length() != l.out()) {
            throw mismatch(l, "b", Arrays.toString(b.shape()), l.out() + " values");
        }
        return b;
    }

    private IllegalArgumentException mismatch(LayerLayout l, String key, String actual, String expected) {
        return new IllegalArgumentException("layer '" + l.name() + "' parameter " + key + " has shape " + actual
                + ", the " + name + " layout expects " + expected);
    }

    private INDArray param(MultiLayerNetwork network, LayerLayout l, String key) {
        if (network.params() == null) {
            throw new IllegalStateException("network not initialised: call init() first");
        }
        Layer layer;
        try {
            layer = network.getLayer(l.name());
        } catch (RuntimeException e) {
            layer = null;
        }
        if (layer != null && layer.conf().getLayer() instanceof FusedDenseHead) {
            // the head's own name is its output layer's: W2, b2
            key = DefaultParamInitializer.WEIGHT_KEY.equals(key) ? FusedDenseHeadParams.W2 : FusedDenseHeadParams.B2;
        } else if (layer == null) {
            for (Layer candidate : network.getLayers()) {   // the hidden layer of a fused head: W, b
                if (candidate.conf().getLayer() instanceof FusedDenseHead h && l.name().equals(h.getHiddenName())) {
                    layer = candidate;
                }
            }
        }
        if (layer == null) {
            throw new IllegalArgumentException("network has no layer '" + l.name() + "': not a " + name + " network");
        }
        INDArray p = layer.getParam(key);
        if (p == null) {
            throw new IllegalArgumentException("layer '" + l.name() + "' has no parameter " + key + ": not a "
                    + name + " network");
        }
        return p;
    }

    private static void copyInto(INDArray source, float[] target, int offset) {
        // Flattening in 'c' order lists the (possibly transposed) view row-major: [out, in, kh, kw] / [out, in].
        // (Not ravel('c'): in 1.0.0-M2.1 it read the order char as a dimension, "new shape [99, n]".)
        float[] values = Nd4j.toFlattened('c', source).toFloatVector();
        System.arraycopy(values, 0, target, offset, values.length);
    }

    private static INDArray slice(float[] canonical, int offset, int length, long[] shape) {
        return Nd4j.create(Arrays.copyOfRange(canonical, offset, offset + length), shape, 'c');
    }
}
