package org.hyperrep.zoo.population;

import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.arch.ActivationKernels;
import org.hyperrep.zoo.data.ImageData;

/**
 * The forward and backward pass of a zoo MLP on plain Java arrays: the dense layers of a {@link WeightLayout} in
 * order, one activation after every hidden layer, optional inverted-dropout masks after those activations, softmax
 * and multi-class cross-entropy at the end. This is the network DL4J builds for a dense zoo architecture
 * ({@code tetris-mlp}), computed in double precision from float parameters in the canonical layout (per layer the
 * weights [out, in] row-major, then the bias), which for dense layers is also DL4J's flattened parameter order.
 *
 * <p>One instance serves one thread: it keeps its scratch arrays between calls. It holds no parameters; a
 * population shares one stack and passes each member's weights.
 */
public final class DenseStack {
    /** LossMCXENT's clipping of p in the training score. */
    private static final double SCORE_CLIP = 1e-10;
    /** The zoo's evaluation clips p at this before the log (as ModelTrainer does). */
    private static final double EVAL_CLIP = 1e-12;

    private final LayerLayout[] layers;
    private final int act;
    private final int inputs;
    private final int classes;
    private double[][] pre = new double[0][], post = new double[0][], delta = new double[0][], undropped = new double[0][];
    private int capacity;

    /** @param act the activation's kernel code ({@link ActivationKernels#code}) */
    public DenseStack(WeightLayout layout, int act) {
        this.layers = layout.layers().toArray(LayerLayout[]::new);
        for (LayerLayout l : layers) {
            if (!l.kind().equals("dense")) {
                throw new IllegalArgumentException(layout.architecture() + " has a " + l.kind() + " layer '" + l.name()
                        + "': population training covers dense networks only");
            }
        }
        for (int l = 1; l < layers.length; l++) {
            if (layers[l].in() != layers[l - 1].out()) {
                throw new IllegalArgumentException("layer " + layers[l].name() + " takes " + layers[l].in()
                        + " inputs, the previous layer has " + layers[l - 1].out() + " outputs");
            }
        }
        this.act = act;
        this.inputs = layers[0].in();
        this.classes = layers[layers.length - 1].out();
    }

    public int inputs() { return inputs; }

    public int classes() { return classes; }

    /** Hidden layers: every layer but the last, each followed by the activation (and dropout when used). */
    public int hiddenLayers() { return layers.length - 1; }

    /** Units of hidden layer l. */
    public int hiddenUnits(int l) { return layers[l].out(); }

    /** Whether parameter index j is a weight (not a bias): L2 applies to weights only, as in DL4J. */
    public boolean[] weightMask() {
        boolean[] m = new boolean[layers[layers.length - 1].end()];
        for (LayerLayout l : layers) {
            for (int j = l.offset(); j < l.offset() + l.weightCount(); j++) m[j] = true;
        }
        return m;
    }

    /**
     * The summed (not averaged) gradient of the cross-entropy over the minibatch rows {@code rows[0..n)} of
     * {@code data}, written to {@code grad} (DL4J's layers also return sums; its updater divides by n), and the
     * summed loss with p clipped as DL4J's score clips it.
     *
     * @param masks per hidden layer an [n, units] row-major inverted-dropout mask (0 or 1/retain), or null for none
     */
    public double gradient(float[] w, ImageData data, int[] rows, int n, float[][] masks, double[] grad) {
        ensure(n);
        forward(w, data.pixels(), rows, 0, n, masks);
        int last = layers.length - 1;
        double[] p = post[last];
        double[] dz = delta[last];
        int[] labels = data.labels();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[rows[i]];
            for (int c = 0; c < classes; c++) dz[i * classes + c] = p[i * classes + c];
            dz[i * classes + y] -= 1.0;
            loss -= Math.log(Math.min(Math.max(p[i * classes + y], SCORE_CLIP), 1 - SCORE_CLIP));
        }
        java.util.Arrays.fill(grad, 0, layers[last].end(), 0.0);
        for (int l = last; l >= 0; l--) {
            LayerLayout L = layers[l];
            int in = L.in(), out = L.out();
            double[] d = delta[l];
            // dW[o, k] = Σ_i d[i, o] · x[i, k]; db[o] = Σ_i d[i, o]
            for (int i = 0; i < n; i++) {
                int xo = l == 0 ? rows[i] * inputs : i * in;
                double[] xs = l == 0 ? null : post[l - 1];
                float[] px = data.pixels();
                for (int o = 0; o < out; o++) {
                    double dv = d[i * out + o];
                    if (dv == 0.0) continue;
                    int wo = L.offset() + o * in;
                    if (xs == null) {
                        for (int k = 0; k < in; k++) grad[wo + k] += dv * px[xo + k];
                    } else {
                        for (int k = 0; k < in; k++) grad[wo + k] += dv * xs[xo + k];
                    }
                    if (L.bias()) grad[L.biasOffset() + o] += dv;
                }
            }
            if (l == 0) break;
            // dh[i, k] = Σ_o d[i, o] · W[o, k], then through dropout and the activation of layer l−1
            double[] dh = delta[l - 1];
            java.util.Arrays.fill(dh, 0, n * in, 0.0);
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) {
                    double dv = d[i * out + o];
                    int wo = L.offset() + o * in;
                    for (int k = 0; k < in; k++) dh[i * in + k] += dv * w[wo + k];
                }
            }
            if (masks != null && masks[l - 1] != null) {
                float[] m = masks[l - 1];
                for (int j = 0; j < n * in; j++) dh[j] *= m[j];
            }
            ActivationKernels.backward(pre[l - 1], activations(l - 1, n, masks), dh, n * in, act);
        }
        return loss;
    }

    /**
     * Evaluates the network on images [0, size) of {@code data}: {correct predictions, Σ −log max(p_y, 1e-12)};
     * the prediction is the first class of highest probability.
     */
    public double[] evaluate(float[] w, ImageData data) {
        long correct = 0;
        double loss = 0;
        int block = 256;
        int[] labels = data.labels();
        int last = layers.length - 1;
        for (int from = 0; from < data.size(); from += block) {
            int n = Math.min(block, data.size() - from);
            ensure(n);
            forward(w, data.pixels(), null, from, n, null);
            double[] p = post[last];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
                int y = labels[from + i];
                if (best == y) correct++;
                loss -= Math.log(Math.max(p[i * classes + y], EVAL_CLIP));
            }
        }
        return new double[]{correct, loss};
    }

    /** Forward pass of n images: rows[i] (or from + i when rows is null). */
    private void forward(float[] w, float[] pixels, int[] rows, int from, int n, float[][] masks) {
        for (int l = 0; l < layers.length; l++) {
            LayerLayout L = layers[l];
            int in = L.in(), out = L.out();
            double[] a = pre[l];
            double[] x = l == 0 ? null : post[l - 1];
            for (int i = 0; i < n; i++) {
                int xo = l == 0 ? (rows == null ? from + i : rows[i]) * inputs : i * in;
                for (int o = 0; o < out; o++) {
                    int wo = L.offset() + o * in;
                    double s = 0;
                    if (x == null) {
                        for (int k = 0; k < in; k++) s += pixels[xo + k] * (double) w[wo + k];
                    } else {
                        for (int k = 0; k < in; k++) s += x[xo + k] * w[wo + k];
                    }
                    if (L.bias()) s += w[L.biasOffset() + o];
                    a[i * out + o] = s;
                }
            }
            if (l < layers.length - 1) {
                ActivationKernels.activate(a, post[l], n * out, act);
                if (masks != null && masks[l] != null) {
                    float[] m = masks[l];
                    double[] h = post[l];
                    for (int j = 0; j < n * out; j++) h[j] *= m[j];
                }
            } else {
                softmax(a, post[l], n, out);
            }
        }
    }

    /** The activations of hidden layer l before dropout (the activation's derivative needs them). */
    private double[] activations(int l, int n, float[][] masks) {
        if (masks == null || masks[l] == null) return post[l];
        double[] y = undropped[l];
        ActivationKernels.activate(pre[l], y, n * layers[l].out(), act);
        return y;
    }

    private static void softmax(double[] a, double[] p, int n, int k) {
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) max = Math.max(max, a[i * k + c]);
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(a[i * k + c] - max);
                p[i * k + c] = e;
                sum += e;
            }
            for (int c = 0; c < k; c++) p[i * k + c] /= sum;
        }
    }

    private void ensure(int n) {
        if (n <= capacity) return;
        int cap = Math.max(n, 2 * capacity);
        pre = new double[layers.length][];
        post = new double[layers.length][];
        delta = new double[layers.length][];
        undropped = new double[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            undropped[l] = new double[cap * layers[l].out()];
            pre[l] = new double[cap * layers[l].out()];
            post[l] = new double[cap * layers[l].out()];
            delta[l] = new double[cap * layers[l].out()];
        }
        capacity = cap;
    }
}
