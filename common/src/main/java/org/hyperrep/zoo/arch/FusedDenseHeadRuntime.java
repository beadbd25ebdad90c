package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link FusedDenseHead}. Computes in double precision for both network data types (the head is tens of
 * thousands of multiply-adds per minibatch; one code path, exact enough for DL4J's gradient checks) and copies
 * inputs, parameters and results between INDArrays and Java arrays once per pass. Like DL4J's output layers it
 * returns summed (not averaged) gradients: DL4J's updater divides by the minibatch size.
 *
 * <p>DL4J runs an output layer's forward pass inside {@link #backpropGradient} and again in
 * {@link #computeScore}; the training forward pass (with its dropout mask) is computed once per input and reused,
 * as DL4J's own layers apply dropout once per input.
 */
public class FusedDenseHeadRuntime extends BaseOutputLayer<FusedDenseHead> {
    private static final double SOFTMAX_CLIP = 1e-10;   // LossMCXENT's default clipping of p in the score

    private final int act;
    private final int nIn, hidden, classes;
    private final Dropout dropout;       // DL4J's dropout on the hidden activations, or null
    private double[] x = new double[0], p = new double[0], a1 = new double[0], h1 = new double[0];
    private double[] prob = new double[0], y = new double[0], g = new double[0], dh = new double[0];
    private double[] dx = new double[0];
    private int cachedN = -1;            // batch size of the cached forward pass, -1 = none
    private boolean cachedTraining;

    public FusedDenseHeadRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        FusedDenseHead h = (FusedDenseHead) conf.getLayer();
        this.act = FusedConvRuntime.activationCode(h.getHiddenActivation());
        this.nIn = (int) h.getNIn();
        this.hidden = (int) h.getHidden();
        this.classes = (int) h.getNOut();
        this.dropout = h.getHiddenRetain() < 1.0 ? new Dropout(h.getHiddenRetain()) : null;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        cachedN = -1;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        int n = forward(training, workspaceMgr);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{n, classes}, 'c');
        write(prob, out, n * classes);
        return out;
    }

    /** Runs the forward pass unless it ran for this input already; returns the batch size. */
    private int forward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        int n = (int) input.size(0);
        if (cachedN == n && cachedTraining == training) return n;
        if (input.length() != (long) n * nIn) {
            throw new IllegalArgumentException("layer '" + layerConf().getLayerName() + "' expects " + nIn
                    + " input values per example, got shape " + java.util.Arrays.toString(input.shape()));
        }
        int nParams = (int) paramsFlattened.length();
        x = grow(x, n * nIn);
        read(input, x, n * nIn);
        p = grow(p, nParams);
        read(paramsFlattened, p, nParams);
        final int b1 = nIn * hidden, w2 = b1 + hidden, b2 = w2 + hidden * classes;
        a1 = grow(a1, n * hidden);
        h1 = grow(h1, n * hidden);
        // a1 = x W + b (W [nIn, hidden] in 'f' order: W[k, j] at k + j·nIn)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hidden; j++) {
                double s = p[b1 + j];
                final int wo = j * nIn, xo = i * nIn;
                for (int k = 0; k < nIn; k++) s += x[xo + k] * p[wo + k];
                a1[i * hidden + j] = s;
            }
        }
        FusedConvKernelsD.activate(a1, h1, n * hidden, act);
        if (training && dropout != null) {
            INDArray h = workspaceMgr.createUninitialized(ArrayType.INPUT, dataType, new long[]{n, hidden}, 'c');
            write(h1, h, n * hidden);
            dropout.applyDropout(h, h, getIterationCount(), getEpochCount(), workspaceMgr);
            read(h, h1, n * hidden);
        }
        // prob = softmax(h1 W2 + b2)
        prob = grow(prob, n * classes);
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = p[b2 + c];
                final int wo = w2 + c * hidden, ho = i * hidden;
                for (int j = 0; j < hidden; j++) s += h1[ho + j] * p[wo + j];
                prob[i * classes + c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(prob[i * classes + c] - max);
                prob[i * classes + c] = e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) prob[i * classes + c] /= sum;
        }
        cachedN = n;
        cachedTraining = training;
        return n;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (maskArray != null) throw new UnsupportedOperationException("FusedDenseHead: no label masks");
        int n = forward(true, workspaceMgr);
        readLabels(n);
        final int b1 = nIn * hidden, w2 = b1 + hidden, b2 = w2 + hidden * classes, nParams = b2 + classes;
        g = grow(g, nParams);
        java.util.Arrays.fill(g, 0, nParams, 0.0);
        dh = grow(dh, n * hidden);
        java.util.Arrays.fill(dh, 0, n * hidden, 0.0);
        // dz = prob − y (softmax + MCXENT); dW2 = h1ᵀ dz, db2 = Σ dz, dh = dz W2ᵀ
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                final double dz = prob[i * classes + c] - y[i * classes + c];
                g[b2 + c] += dz;
                final int wo = w2 + c * hidden, ho = i * hidden;
                for (int j = 0; j < hidden; j++) {
                    g[wo + j] += h1[ho + j] * dz;
                    dh[ho + j] += p[wo + j] * dz;
                }
            }
        }
        if (dropout != null) {
            INDArray d = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[]{n, hidden}, 'c');
            write(dh, d, n * hidden);
            dropout.backprop(d, d, getIterationCount(), getEpochCount());
            read(d, dh, n * hidden);
        }
        FusedConvKernelsD.activationBackward(a1, activations(n), dh, n * hidden, act);
        // dW = xᵀ da, db = Σ da, dx = da Wᵀ
        dx = grow(dx, n * nIn);
        java.util.Arrays.fill(dx, 0, n * nIn, 0.0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hidden; j++) {
                final double da = dh[i * hidden + j];
                g[b1 + j] += da;
                final int wo = j * nIn, xo = i * nIn;
                for (int k = 0; k < nIn; k++) {
                    g[wo + k] += x[xo + k] * da;
                    dx[xo + k] += p[wo + k] * da;
                }
            }
        }
        write(g, gradientsFlattened, nParams);
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : FusedDenseHeadParams.INSTANCE.paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        this.gradient = gradient;
        INDArray dIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        write(dx, dIn, n * nIn);
        return new Pair<>(gradient, dIn);
    }

    /** The hidden activations before dropout (the activation derivative needs them): recomputed from a1. */
    private double[] activations(int n) {
        if (dropout == null) return h1;
        double[] h = new double[n * hidden];
        FusedConvKernelsD.activate(a1, h, n * hidden, act);
        return h;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            throw new IllegalStateException("Cannot calculate score without input and labels " + layerId());
        }
        int n = forward(training, workspaceMgr);
        readLabels(n);
        double loss = 0;
        for (int i = 0; i < n * classes; i++) {
            if (y[i] != 0) loss -= y[i] * Math.log(Math.min(Math.max(prob[i], SOFTMAX_CLIP), 1 - SOFTMAX_CLIP));
        }
        double score = conf().isMiniBatch() ? loss / getInputMiniBatchSize() : loss;
        score += fullNetRegTerm;   // after the division, as DL4J's output layers
        this.score = score;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            throw new IllegalStateException("Cannot calculate score without input and labels " + layerId());
        }
        int n = forward(false, workspaceMgr);
        readLabels(n);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double loss = fullNetRegTerm;
            for (int c = 0; c < classes; c++) {
                double yi = y[i * classes + c];
                if (yi != 0) loss -= yi * Math.log(Math.min(Math.max(prob[i * classes + c], SOFTMAX_CLIP), 1 - SOFTMAX_CLIP));
            }
            s[i] = loss;
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{n, 1}, 'c');
        write(s, out, n);
        return out;
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) return;
        backpropGradient(null, workspaceMgr);
        computeScore(0.0, true, workspaceMgr);
    }

    private void readLabels(int n) {
        if (labels == null) throw new IllegalStateException("no labels set " + layerId());
        if (labels.length() != (long) n * classes) {
            throw new IllegalArgumentException("layer '" + layerConf().getLayerName() + "': labels of shape "
                    + java.util.Arrays.toString(labels.shape()) + " for " + n + " examples of " + classes + " classes");
        }
        y = grow(y, n * classes);
        read(labels, y, n * classes);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) { return labels; }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("FusedDenseHead has no separate pre-output");
    }

    @Override
    public boolean isPretrainLayer() { return false; }

    @Override
    public boolean hasBias() { return true; }

    @Override
    public void clearNoiseWeightParams() { }

    @Override
    public void clear() {
        super.clear();
        cachedN = -1;
    }

    // ---- copies between INDArrays (any data type, any layout) and double arrays ----

    private float[] floats = new float[0];   // FLOAT copies pass through here

    private void read(INDArray a, double[] dst, int len) {
        if (a.dataType() == DataType.DOUBLE) {
            FusedConvRuntime.read(a, dst, len);
        } else {
            if (floats.length < len) floats = new float[len];
            FusedConvRuntime.read(a, floats, len);
            for (int i = 0; i < len; i++) dst[i] = floats[i];
        }
    }

    private void write(double[] src, INDArray a, int len) {
        if (a.dataType() == DataType.DOUBLE) {
            FusedConvRuntime.write(src, a, len);
        } else {
            if (floats.length < len) floats = new float[len];
            for (int i = 0; i < len; i++) floats[i] = (float) src[i];
            FusedConvRuntime.write(floats, a, len);
        }
    }

    private static double[] grow(double[] a, int len) { return a != null && a.length >= len ? a : new double[len]; }
}
