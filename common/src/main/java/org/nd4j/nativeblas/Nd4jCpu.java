package org.nd4j.nativeblas;

/**
 * Compatibility shim, not an ND4J class: it repairs DL4J 1.0.0-M2.1's oneDNN layer helpers.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} asks, by reflection, for
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}. ND4J 1.0.0-M2.1 moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the method {@code isUseONEDNN()},
 * so the lookup fails, the helper check answers "not supported" and every {@code ConvolutionLayer} falls back to
 * DL4J's im2col + gemm path, which is 5-7x slower for the zoo CNNs (measured: cnn-s, batch 32, one thread, ~75 ms
 * instead of ~14 ms of CPU per iteration; see bench/README.md). This class answers that reflective call with the
 * real native flag: true only when the loaded libnd4j was built with oneDNN (the {@code linux-x86_64-onednn}
 * classifier in the root pom). It has no other members and nothing else in ND4J or DL4J refers to it.
 *
 * <p>Remove it when DL4J is upgraded past 1.0.0-M2.1 (check that {@code MKLDNNConvHelper} still gets created:
 * {@code OneDnnHelpersTest}).
 */
public final class Nd4jCpu {
    private Nd4jCpu() { }

    /** The single method BaseMKLDNNHelper calls. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() { }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Whether the loaded native backend has oneDNN (the old name of {@code isUseONEDNN}). Looked up by
         * reflection so that builds without the CPU backend (the {@code gpu} profile) still compile; false there.
         */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object instance = env.getMethod("getInstance").invoke(null);
                return (Boolean) env.getMethod("isUseONEDNN").invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
