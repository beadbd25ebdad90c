package org.hyperrep.encoder;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Forward and backward pieces shared by the hand-written layers; all on 2-D c-order matrices. */
final class Ops {
    static final double LAYER_NORM_EPS = 1e-5;

    private Ops() { }

    /** x·W + b for x [n, in], W [in, out], b [1, out]. */
    static INDArray linear(INDArray x, INDArray w, INDArray b) {
        return Nd4j.matmul(x, w).addiRowVector(b);
    }

    /** Gradients of {@link #linear}: puts dW and db into grads, returns dx. */
    static INDArray linearBackward(INDArray x, INDArray w, INDArray dy, java.util.Map<String, INDArray> grads,
                                   String wKey, String bKey) {
        grads.put(wKey, Nd4j.matmul(x, dy, true, false, false));
        grads.put(bKey, dy.sum(true, 0));
        return Nd4j.matmul(dy, w, false, true, false);
    }

    /** Row-wise layer normalisation of x [n, d] with gain g and bias b [1, d]. */
    static final class LayerNorm {
        INDArray xhat;   // normalised input
        INDArray rstd;   // [n, 1] 1/sqrt(var + eps)

        INDArray forward(INDArray x, INDArray g, INDArray b) {
            INDArray centred = x.sub(x.mean(true, 1));                     // broadcasting ops: one op each
            INDArray var = centred.mul(centred).mean(true, 1);
            rstd = Transforms.pow(var.addi(LAYER_NORM_EPS), -0.5, false);
            xhat = centred.muliColumnVector(rstd);
            return xhat.mul(g).addiRowVector(b);
        }

        /** dx for dy; puts dg and db into grads. */
        INDArray backward(INDArray dy, INDArray g, java.util.Map<String, INDArray> grads, String gKey, String bKey) {
            grads.put(gKey, dy.mul(xhat).sum(true, 0));
            grads.put(bKey, dy.sum(true, 0));
            INDArray dxhat = dy.mul(g);
            INDArray meanD = dxhat.mean(true, 1);
            INDArray meanDX = dxhat.mul(xhat).mean(true, 1);
            return dxhat.subiColumnVector(meanD).subi(xhat.mul(meanDX)).muliColumnVector(rstd);
        }

        void clear() { xhat = null; rstd = null; }
    }

    /** Softmax over the last dimension of a [rows, cols] matrix, in place. */
    static INDArray softmaxRowsInPlace(INDArray x) {
        Nd4j.exec(new SoftMax(x, x, 1));
        return x;
    }

    /** Inverted-dropout mask (0 or 1/keep) of the given shape and type, or null when nothing is dropped. */
    static INDArray dropoutMask(INDArray like, double dropProbability) {
        if (dropProbability <= 0) return null;
        double keep = 1 - dropProbability;
        INDArray mask = Nd4j.createUninitialized(like.dataType(), like.shape());
        Nd4j.randomBernoulli(keep, mask);
        return mask.divi(keep);
    }
}
