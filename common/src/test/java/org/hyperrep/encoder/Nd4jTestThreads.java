package org.hyperrep.encoder;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Sets ND4J's native threads in this JVM. Gradient checks run thousands of forward passes on tiny arrays, where
 * OpenMP threads only add synchronisation (on a loaded 2-core machine a small matmul took 10 ms with 2 threads and
 * 0.6 ms with 1).
 */
final class Nd4jTestThreads {
    private Nd4jTestThreads() { }

    static void set(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
