package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;

/**
 * Turns on DL4J's oneDNN layer helpers, which DL4J 1.0.0-M2.1 ships switched off.
 *
 * <p>Without them {@code ConvolutionLayer} computes with im2col + gemm, and the im2col writes into a permuted 6-d
 * view: libnd4j first zeroes that strided view element by element (10.6 ms for cnn-s's first layer at batch 32)
 * and then fills it through the same slow path (12.9 ms, against 3.3 ms into a contiguous array); together with
 * col2im this made ~80% of a cnn-s training iteration. The helpers call libnd4j's conv2d/conv2d_bp and pooling ops
 * instead, which the {@code linux-x86_64-onednn} build of nd4j-native (root pom) runs with oneDNN's JIT kernels.
 *
 * <p>Two switches are needed: the system property {@value #DISABLE_PROPERTY} (read by
 * {@code HelperUtils.createHelper} whenever a layer is instantiated, default "true") and the shim class
 * {@code org.nd4j.nativeblas.Nd4jCpu} that repairs the helpers' broken oneDNN detection. A property the user set
 * explicitly is left alone, so {@code -D}{@value #DISABLE_PROPERTY}{@code =true} still turns the helpers off.
 */
public final class OneDnn {
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnn() { }

    /** Lets layers created from now on use the oneDNN helpers, unless the user disabled them explicitly. */
    static void enableHelpers() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }

    /** Whether new convolution and pooling layers will get oneDNN helpers (native oneDNN build + switches on). */
    public static boolean helpersActive() {
        enableHelpers();
        return !Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY)) && BaseMKLDNNHelper.mklDnnEnabled();
    }
}
