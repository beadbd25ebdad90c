package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Objects;

/**
 * Converts image activations between NCHW ([n, c, h, w]) and NHWC ([n, h, w, c]) in front of a layer, and the
 * gradient back. Parameter-free: it moves no weight and no canonical position. {@link LayeredArchitecture} uses it
 * twice when the CNN layers compute in NHWC ({@link LayeredArchitecture#FORMAT}): in front of the first layer, so
 * inputs stay [n, c, h, w] as {@link NetworkInputs} makes them, and in front of the flatten before the first dense
 * layer, because DL4J 1.0.0-M2.1 flattens NHWC activations channel-last (h, w, c) while the canonical layout is
 * channel-major (docs/method.md).
 */
public class CnnFormatPreProcessor extends BaseInputPreProcessor {
    private static final long serialVersionUID = 1L;

    private CNN2DFormat from;
    private CNN2DFormat to;

    /** For DL4J's JSON (de)serialization. */
    public CnnFormatPreProcessor() {
        this(CNN2DFormat.NCHW, CNN2DFormat.NHWC);
    }

    public CnnFormatPreProcessor(CNN2DFormat from, CNN2DFormat to) {
        if (from == to) throw new IllegalArgumentException("nothing to convert: " + from + " to " + to);
        this.from = Objects.requireNonNull(from);
        this.to = Objects.requireNonNull(to);
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, permute(input, from), 'c');
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, permute(output, to), 'c');
    }

    /** The array, laid out in {@code layout}, in the other layout. */
    private static INDArray permute(INDArray a, CNN2DFormat layout) {
        if (a.rank() != 4) {
            throw new IllegalArgumentException("expected a rank-4 image batch, got shape " + Arrays.toString(a.shape()));
        }
        return layout == CNN2DFormat.NCHW ? a.permute(0, 2, 3, 1) : a.permute(0, 3, 1, 2);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c) || c.getFormat() != from) {
            throw new IllegalArgumentException("expected a " + from + " convolutional input type, got " + inputType);
        }
        return InputType.convolutional(c.getHeight(), c.getWidth(), c.getChannels(), to);
    }

    public CNN2DFormat getFrom() { return from; }

    public void setFrom(CNN2DFormat from) { this.from = from; }

    public CNN2DFormat getTo() { return to; }

    public void setTo(CNN2DFormat to) { this.to = to; }

    @Override
    public CnnFormatPreProcessor clone() {
        return new CnnFormatPreProcessor(from, to);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CnnFormatPreProcessor p && p.from == from && p.to == to;
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to);
    }

    @Override
    public String toString() {
        return "CnnFormatPreProcessor(" + from + " -> " + to + ")";
    }
}
