package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * DL4J's {@link MultiLayerUpdater} (same updaters, same regularisation, same order of operations), told when the
 * gradient it is given is the network's own gradient array.
 *
 * <p>Why: DL4J's updater takes its standard path only when {@code gradient.gradient()} is, by identity, its own
 * [1, n] view of the network's flattened gradient; in 1.0.0-M2.1 {@code DefaultGradient.gradient()} returns a new
 * rank-1 reshape of it on every call, so every step takes the "external gradient" path, which builds two new
 * INDArray views per parameter array and regularisation step (even with no regularisation): 40 views per step for
 * cnn-s, each a shape buffer and two native deallocator registrations. That was most of the INDArrays a zoo training
 * step creates, and their deallocator references made the young collections copy tens of megabytes. When the given
 * gradient occupies exactly the memory of the updater's own view, this updater passes a gradient whose
 * {@code gradient()} is that view, so DL4J takes its standard path with the views it built once. Any other gradient
 * goes through DL4J's external path unchanged.
 */
public final class InPlaceUpdater extends MultiLayerUpdater {
    private static final long serialVersionUID = 1L;

    private long inPlaceSteps;

    public InPlaceUpdater(MultiLayerNetwork network) {
        super(network);
    }

    /** Installs an {@code InPlaceUpdater} as the network's updater; call after {@code init()}, before training. */
    public static MultiLayerNetwork install(MultiLayerNetwork network) {
        network.setUpdater(new InPlaceUpdater(network));
        return network;
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        INDArray own = getFlattenedGradientsView();
        INDArray given = gradient.gradient();
        if (given != own && sameMemory(given, own)) {
            Gradient same = new OwnGradient(own);
            for (Map.Entry<String, INDArray> e : gradient.gradientForVariable().entrySet()) {
                same.setGradientFor(e.getKey(), e.getValue(), gradient.flatteningOrderForVariable(e.getKey()));
            }
            gradient = same;
            inPlaceSteps++;
        }
        super.update(gradient, iteration, epoch, batchSize, workspaceMgr);
    }

    /** A gradient whose flattened array is the given array itself (DefaultGradient returns a new reshape). */
    private static final class OwnGradient extends DefaultGradient {
        private static final long serialVersionUID = 1L;
        private final transient INDArray flat;

        OwnGradient(INDArray flat) {
            super(flat);
            this.flat = flat;
        }

        @Override
        public INDArray gradient() { return flat; }
    }

    /** Steps whose gradient was recognised as the network's own (for the tests). */
    long inPlaceSteps() { return inPlaceSteps; }

    /** Both arrays are contiguous, of one data type and length, and start at the same address. */
    static boolean sameMemory(INDArray a, INDArray b) {
        if (a == null || b == null || a.dataType() != b.dataType() || a.length() != b.length()) return false;
        boolean contiguous = a.isVectorOrScalar() && b.isVectorOrScalar()
                && a.elementWiseStride() == 1 && b.elementWiseStride() == 1;
        if (!contiguous) return false;
        return a.data().addressPointer().address() == b.data().addressPointer().address();
    }
}
