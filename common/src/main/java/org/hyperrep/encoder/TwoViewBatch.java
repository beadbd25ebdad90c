package org.hyperrep.encoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * A training minibatch of the hyper-representation model from two augmented views of N models:
 * features = [view 1 rows; view 2 rows] (2N × P), so that rows i and i+N are the same model; labels, in the
 * order of {@link HyperRepresentationModel#outputs}: the features themselves as reconstruction target (the target
 * is the augmented view, docs/method.md), and the model keys [2N, 1] for {@link NtXentLoss}.
 */
public final class TwoViewBatch {
    private static final double FLOAT_EXACT = 1 << 24;

    private TwoViewBatch() { }

    /**
     * @param view1     [N, P] first view of each model
     * @param view2     [N, P] second view, same row order
     * @param modelKeys N numeric model keys, non-negative integers (below 2^24 for float networks, so that the
     *                  loss can compare them exactly after DL4J casts labels to the network's type)
     */
    public static MultiDataSet of(INDArray view1, INDArray view2, long[] modelKeys, EncoderSpec spec) {
        if (view1.rank() != 2 || !Arrays.equals(view1.shape(), view2.shape())) {
            throw new IllegalArgumentException("views must be two [N, P] matrices of one shape, got "
                    + Arrays.toString(view1.shape()) + " and " + Arrays.toString(view2.shape()));
        }
        if (modelKeys.length != view1.size(0)) {
            throw new IllegalArgumentException(modelKeys.length + " model keys for " + view1.size(0) + " rows");
        }
        INDArray features = Nd4j.vstack(view1, view2);
        List<String> outputs = HyperRepresentationModel.outputs(spec);
        INDArray[] labels = new INDArray[outputs.size()];
        for (int o = 0; o < labels.length; o++) {
            labels[o] = outputs.get(o).equals(HyperRepresentationModel.RECONSTRUCTION)
                    ? features : keyColumn(modelKeys, features.dataType());
        }
        return new MultiDataSet(new INDArray[]{features}, labels);
    }

    /** The NT-Xent labels for keys of N models: [2N, 1], the keys twice. */
    public static INDArray keyColumn(long[] modelKeys, DataType dataType) {
        int n = modelKeys.length;
        INDArray keys = Nd4j.create(dataType, 2L * n, 1);
        for (int i = 0; i < n; i++) {
            long k = modelKeys[i];
            if (k < 0 || (dataType != DataType.DOUBLE && k >= FLOAT_EXACT) || k >= (1L << 53)) {
                throw new IllegalArgumentException("model key " + k + " of row " + i + " is not exactly representable"
                        + " as " + dataType + "; use small non-negative integers (e.g. the model's index in the zoo)");
            }
            keys.putScalar(i, 0, k);
            keys.putScalar(i + n, 0, k);
        }
        return keys;
    }
}
