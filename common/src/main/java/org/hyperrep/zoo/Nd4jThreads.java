package org.hyperrep.zoo;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Limits the native threads ND4J uses in this JVM. A zoo build runs one model per Spark task and fills the cores
 * with tasks; libnd4j's own OpenMP threads would then only oversubscribe them (STACK.md measured 2.6× the
 * throughput at one thread per task).
 */
public final class Nd4jThreads {
    private Nd4jThreads() {}

    public static void limit(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
