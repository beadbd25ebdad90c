package org.hyperrep.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Draws one loss plot into the file named by the first argument; run in a child JVM by {@link PlotsTest}. */
public final class HeadlessPlotMain {
    private HeadlessPlotMain() {}

    public static void main(String[] args) throws Exception {
        // the colour bins are the first AWT objects some callers create: they too must find AWT headless
        if (QuantileBins.of(new double[]{1, 2, 3}, 3).bins() != 3) throw new AssertionError("bins");
        byte[] png = Plots.loss(List.of(new EpochLosses(1, 2.0, 2.5, 0.1, 0.05),
                new EpochLosses(2, 1.0, 1.4, 0.5, 0.4)), ReportOptions.defaults());
        Files.write(Path.of(args[0]), png);
        System.out.println("headless=" + java.awt.GraphicsEnvironment.isHeadless());
    }
}
