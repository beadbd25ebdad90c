package org.hyperrep.probe;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the system has a BLAS (CI installs OpenBLAS, README), MLlib must run on it, not on the Java fallback. */
class NativeBlasTest {
    @Test
    void mllibUsesTheSystemBlasWhenThereIsOne() {
        boolean installed = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libblas.so.3"))
                || Files.exists(Path.of("/usr/lib64/libblas.so.3"));
        assumeTrue(installed, "no system libblas.so.3 (apt-get install libopenblas0-pthread)");
        assertTrue(NativeBlas.isNative(), "system BLAS present but MLlib uses " + NativeBlas.describe());
    }
}
