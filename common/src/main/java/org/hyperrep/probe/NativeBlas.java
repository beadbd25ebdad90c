package org.hyperrep.probe;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;

/**
 * Which BLAS and LAPACK Spark MLlib's solvers run on. MLlib (through dev.ludovic.netlib) uses the system's
 * {@code libblas.so.3} and {@code liblapack.so.3} when present, e.g. Debian's OpenBLAS
 * ({@code apt-get install libopenblas0-pthread}), and otherwise a pure-Java fallback that made the normal-equation
 * ridge fit on raw weights many times slower (docs/stack.md).
 */
public final class NativeBlas {
    private NativeBlas() {}

    /** True when both BLAS and LAPACK are the native (JNI) implementations. */
    public static boolean isNative() {
        return BLAS.getInstance() instanceof NativeBLAS && LAPACK.getInstance() instanceof NativeLAPACK;
    }

    /** For the log: the implementations in use. */
    public static String describe() {
        return (isNative() ? "native" : "Java fallback (no system libblas.so.3/liblapack.so.3)") + ": "
                + BLAS.getInstance().getClass().getSimpleName() + ", " + LAPACK.getInstance().getClass().getSimpleName();
    }
}
