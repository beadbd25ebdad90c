package org.hyperrep.zoo.arch;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link FusedConvLayer}: copies the input into a Java array, runs {@link FusedConvKernelsV} (FLOAT, when
 * the JVM has the Vector API module), {@link FusedConvKernelsF} (FLOAT, otherwise) or {@link FusedConvKernelsD}
 * (DOUBLE), and copies the result into a workspace array; the backward pass writes the
 * parameter gradients straight into DL4J's gradient views. Scratch arrays are kept between iterations and grow
 * with the minibatch. The forward pass in training mode caches the input copy, pre-activations, pooling arg-maxes
 * and activations for the backward pass.
 */
public class FusedConvRuntime extends BaseLayer<FusedConvLayer> {
    static final int IDENTITY = 0, TANH = 1, RELU = 2, SIGMOID = 3, GELU = 4;
    /**
     * Whether FLOAT layers use {@link FusedConvKernelsV}: the JVM was started with
     * {@code --add-modules=jdk.incubator.vector} (the launcher, the tests and the deploy scripts do that) and the
     * system property {@code hyperrep.vectorApi} is not {@code false} (to compare the two kernels).
     */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("hyperrep.vectorApi"));

    /** Shapes of one layer; the wide length L is explained in {@link FusedConvKernelsF}. */
    static final class Geometry {
        final int c, h, w, o, k, convH, convW, outH, outW, wideLength;
        final boolean pool;

        Geometry(int c, int h, int w, int o, int k, boolean pool) {
            this.c = c;
            this.h = h;
            this.w = w;
            this.o = o;
            this.k = k;
            this.pool = pool;
            this.convH = h - k + 1;
            this.convW = w - k + 1;
            this.outH = pool ? convH / 2 : convH;
            this.outW = pool ? convW / 2 : convW;
            this.wideLength = (convH - 1) * w + convW;
        }
    }

    private final int act;
    private Geometry geo;
    private int cachedN = -1;            // batch size of the cached forward pass, -1 = none
    private boolean cachedDouble;
    // FLOAT scratch and caches
    private float[] xf, wf, bf, af, yf, dyf, dwf, dbf, dxf, shiftf, tmpf;
    private float[][] zf, dzf, accf;
    // DOUBLE scratch and caches
    private double[] xd, wd, bd, ad, yd, dyd, dwd, dbd, dxd, shiftd, tmpd;
    private double[][] zd, dzd, accd;
    private int[] arg;
    private FusedConvKernelsV vector;    // FLOAT with the Vector API: its own scratch arrays

    public FusedConvRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.act = activationCode(((FusedConvLayer) conf.getLayer()).getActivationFn());
    }

    /** The kernels' code for a DL4J activation; refuses activations the kernels do not implement. */
    static int activationCode(IActivation a) {
        if (a instanceof ActivationIdentity) return IDENTITY;
        if (a instanceof ActivationTanH) return TANH;
        if (a instanceof ActivationReLU r) {
            if (r.getMax() == null && isZero(r.getThreshold()) && isZero(r.getNegativeSlope())) return RELU;
        }
        if (a instanceof ActivationSigmoid) return SIGMOID;
        if (a instanceof ActivationGELU g && !g.isPrecise()) return GELU;
        throw new IllegalArgumentException("FusedConvLayer supports identity, tanh, plain relu, sigmoid and "
                + "(non-precise) gelu, not " + a);
    }

    private static boolean isZero(Double d) { return d == null || d == 0.0; }

    private Geometry geometry(INDArray in) {
        if (in.rank() != 4) throw new IllegalArgumentException("layer '" + layerConf().getLayerName()
                + "' expects [n, c, h, w] input, got shape " + java.util.Arrays.toString(in.shape()));
        FusedConvLayer c = layerConf();
        int ch = (int) in.size(1), h = (int) in.size(2), w = (int) in.size(3);
        if (ch != c.getNIn()) throw new IllegalArgumentException("layer '" + c.getLayerName() + "' expects "
                + c.getNIn() + " input channels, got " + ch);
        if (geo == null || geo.c != ch || geo.h != h || geo.w != w) {
            geo = new Geometry(ch, h, w, (int) c.getNOut(), c.getKernelSize()[0], c.getPool() == 2);
            if (c.getKernelSize()[0] != c.getKernelSize()[1]) throw new IllegalArgumentException("square kernels only");
            if (geo.convH < 1 || geo.convW < 1) throw new IllegalArgumentException("input " + h + "x" + w
                    + " smaller than the kernel");
            if (geo.pool && (geo.convH % 2 != 0 || geo.convW % 2 != 0)) {
                throw new IllegalArgumentException("2x2 pooling needs an even convolution output, got "
                        + geo.convH + "x" + geo.convW);
            }
        }
        return geo;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        Geometry g = geometry(input);
        int n = (int) input.size(0);
        int inLen = n * g.c * g.h * g.w, outLen = n * g.o * g.outH * g.outW;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[]{n, g.o, g.outH, g.outW}, 'c');
        if (dataType == DataType.DOUBLE) {
            xd = grow(xd, inLen);
            read(input, xd, inLen);
            wd = grow(wd, g.o * g.c * g.k * g.k);
            read(getParam(ConvolutionParamInitializer.WEIGHT_KEY), wd, g.o * g.c * g.k * g.k);
            bd = grow(bd, g.o);
            read(getParam(ConvolutionParamInitializer.BIAS_KEY), bd, g.o);
            zd = rows(zd, g.o, g.wideLength);
            shiftd = grow(shiftd, g.wideLength);
            ad = grow(ad, outLen);
            yd = grow(yd, outLen);
            arg = growInt(arg, outLen);
            FusedConvKernelsD.forward(g, n, xd, wd, bd, zd, shiftd, ad, arg, yd, act);
            write(yd, out, outLen);
        } else if (dataType == DataType.FLOAT) {
            int slack = VECTOR_API ? FusedConvKernelsV.SLACK : 0;
            xf = grow(xf, inLen + slack);
            read(input, xf, inLen);
            java.util.Arrays.fill(xf, inLen, inLen + slack, 0f);   // the vector kernels read it (times zero)
            wf = grow(wf, g.o * g.c * g.k * g.k);
            read(getParam(ConvolutionParamInitializer.WEIGHT_KEY), wf, g.o * g.c * g.k * g.k);
            bf = grow(bf, g.o);
            read(getParam(ConvolutionParamInitializer.BIAS_KEY), bf, g.o);
            af = grow(af, outLen);
            yf = grow(yf, outLen);
            arg = growInt(arg, outLen);
            if (VECTOR_API) {
                if (vector == null) vector = new FusedConvKernelsV();
                vector.forward(g, n, xf, wf, bf, af, arg, yf, act);
            } else {
                zf = rows(zf, g.o, g.wideLength);
                shiftf = grow(shiftf, g.wideLength);
                FusedConvKernelsF.forward(g, n, xf, wf, bf, zf, shiftf, af, arg, yf, act);
            }
            write(yf, out, outLen);
        } else {
            throw new IllegalStateException("FusedConvLayer computes in FLOAT or DOUBLE, not " + dataType);
        }
        cachedN = n;
        cachedDouble = dataType == DataType.DOUBLE;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Geometry g = geometry(input);
        int n = (int) input.size(0);
        if (n != cachedN || cachedDouble != (dataType == DataType.DOUBLE)) {
            throw new IllegalStateException("layer '" + layerConf().getLayerName() + "': backprop without a matching "
                    + "forward pass (cached batch " + cachedN + ", now " + n + ")");
        }
        int inLen = n * g.c * g.h * g.w, outLen = n * g.o * g.outH * g.outW;
        if (epsilon.length() != outLen) throw new IllegalArgumentException("epsilon has " + epsilon.length()
                + " values, expected " + outLen);
        boolean wantDx = layerConf().isInputGradient();
        INDArray dIn = wantDx
                ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c')
                : workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        INDArray gW = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray gB = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
        int wLen = g.o * g.c * g.k * g.k;
        if (cachedDouble) {
            double[] dy = dyd = grow(dyd, outLen);
            read(epsilon, dy, outLen);
            dzd = rows(dzd, n * g.o, g.wideLength);
            accd = rows(accd, g.o, g.wideLength);
            tmpd = grow(tmpd, g.wideLength);
            dwd = grow(dwd, wLen);
            dbd = grow(dbd, g.o);
            if (wantDx) dxd = grow(dxd, inLen);
            FusedConvKernelsD.backward(g, n, xd, wd, ad, arg, yd, act, dy, dzd, accd, shiftd, tmpd, dwd, dbd,
                    wantDx ? dxd : null);
            write(dwd, gW, wLen);
            write(dbd, gB, g.o);
            if (wantDx) write(dxd, dIn, inLen);
        } else {
            float[] dy = dyf = grow(dyf, outLen);   // kept: a new array per call was 150 KB of garbage per step
            read(epsilon, dy, outLen);
            dwf = grow(dwf, wLen);
            dbf = grow(dbf, g.o);
            if (wantDx) dxf = grow(dxf, inLen);
            if (VECTOR_API) {
                vector.backward(g, n, xf, wf, af, arg, yf, act, dy, dwf, dbf, wantDx ? dxf : null);
            } else {
                dzf = rows(dzf, n * g.o, g.wideLength);
                accf = rows(accf, g.o, g.wideLength);
                tmpf = grow(tmpf, g.wideLength);
                FusedConvKernelsF.backward(g, n, xf, wf, af, arg, yf, act, dy, dzf, accf, shiftf, tmpf, dwf, dbf,
                        wantDx ? dxf : null);
            }
            write(dwf, gW, wLen);
            write(dbf, gB, g.o);
            if (wantDx) write(dxf, dIn, inLen);
        }
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, gW);
        gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, gB);
        this.gradient = gradient;
        dIn = backpropDropOutIfPresent(dIn);
        return new Pair<>(gradient, dIn);
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

    // ---- copies between INDArrays and Java arrays (c-order, contiguous views read and written in place) ----

    private static boolean direct(INDArray a, int len) {
        return a.length() == len && (a.ordering() == 'c' || a.rank() <= 1 || a.isVector())
                && a.elementWiseStride() == 1 && !a.wasClosed();
    }

    static void read(INDArray a, float[] dst, int len) {
        if (!direct(a, len) || a.dataType() != DataType.FLOAT) {
            if (a.length() != len) throw new IllegalArgumentException("expected " + len + " values, got " + a.length());
            a = a.castTo(DataType.FLOAT).dup('c');
        }
        FloatPointer p = new FloatPointer(a.data().addressPointer());
        p.get(dst, 0, len);   // addressPointer() already points at the view's first element
    }

    static void read(INDArray a, double[] dst, int len) {
        if (!direct(a, len) || a.dataType() != DataType.DOUBLE) {
            if (a.length() != len) throw new IllegalArgumentException("expected " + len + " values, got " + a.length());
            a = a.castTo(DataType.DOUBLE).dup('c');
        }
        DoublePointer p = new DoublePointer(a.data().addressPointer());
        p.get(dst, 0, len);   // addressPointer() already points at the view's first element
    }

    static void write(float[] src, INDArray a, int len) {
        if (!direct(a, len) || a.dataType() != DataType.FLOAT) throw new IllegalStateException("cannot write into " + a.shapeInfoToString());
        FloatPointer p = new FloatPointer(a.data().addressPointer());
        p.put(src, 0, len);
    }

    static void write(double[] src, INDArray a, int len) {
        if (!direct(a, len) || a.dataType() != DataType.DOUBLE) throw new IllegalStateException("cannot write into " + a.shapeInfoToString());
        DoublePointer p = new DoublePointer(a.data().addressPointer());
        p.put(src, 0, len);
    }

    private static float[] grow(float[] a, int len) { return a != null && a.length >= len ? a : new float[len]; }

    private static double[] grow(double[] a, int len) { return a != null && a.length >= len ? a : new double[len]; }

    private static float[][] rows(float[][] a, int rows, int len) {
        return a != null && a.length >= rows && a[0].length >= len ? a : new float[rows][len];
    }

    private static double[][] rows(double[][] a, int rows, int len) {
        return a != null && a.length >= rows && a[0].length >= len ? a : new double[rows][len];
    }

    private static int[] growInt(int[] a, int len) { return a != null && a.length >= len ? a : new int[len]; }
}
