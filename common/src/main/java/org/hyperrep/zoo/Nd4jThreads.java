package org.hyperrep.zoo;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Limits the native threads ND4J uses in this JVM. A zoo build runs one model per Spark task and fills the cores
 * with tasks; libnd4j's own OpenMP threads would then only oversubscribe them (docs/stack.md measured 2.6× the
 * throughput at one thread per task).
 *
 * <p>OpenBLAS keeps its own pthread pool, which the OpenMP setting does not reach: at its default of one thread per
 * core, a second OpenBLAS thread took part in every gemm and then busy-waited in {@code sched_yield}, about 40% of
 * the process's CPU time while training cnn-s on "one" thread (perf, before the oneDNN helpers), so the BLAS pool is
 * limited as well.
 */
public final class Nd4jThreads {
    private Nd4jThreads() {}

    public static void limit(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
