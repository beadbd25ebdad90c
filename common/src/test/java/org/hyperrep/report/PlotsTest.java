package org.hyperrep.report;

import org.hyperrep.encoder.EncoderStore;
import org.hyperrep.encoder.EncoderTrainer;
import org.hyperrep.encoder.LossMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {

    @Test
    void predictedVsTrueLaysAnyNumberOfFeatureSetsOnAGrid() throws IOException {
        ReportOptions o = ReportOptions.defaults();
        for (int sets = 1; sets <= 5; sets++) {
            List<FeatureSetPredictions> p = new ArrayList<>();
            for (int i = 0; i < sets; i++) {
                p.add(new FeatureSetPredictions("F" + i, new double[]{0.1, 0.5, 0.9}, new double[]{0.2, 0.4, 0.8}));
            }
            var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(Plots.predictedVsTrue(p, o)));
            int cols = Math.min(o.panelColumns(), sets);
            assertEquals(cols * o.panelWidth(), img.getWidth(), sets + " feature sets");
            assertEquals((sets + cols - 1) / cols * o.panelHeight(), img.getHeight(), sets + " feature sets");
        }
    }

    @Test
    void quantileBinsHoldEqualSharesAndLabelTheirRanges() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) v[i] = i + 1;
        QuantileBins b = QuantileBins.of(v, 8);
        assertEquals(8, b.bins());
        int[] counts = new int[8];
        for (int bin : b.binOf()) counts[bin]++;
        for (int c : counts) assertTrue(c == 12 || c == 13, "bin sizes " + java.util.Arrays.toString(counts));
        assertEquals("1–12", b.labels()[0]);
        assertEquals("88–100", b.labels()[7]);
        assertEquals(QuantileBins.PALETTE[0], b.colours()[0]);
        assertEquals(QuantileBins.PALETTE[7], b.colours()[7]);
        assertEquals(ReportOptions.MAX_COLOUR_BINS, QuantileBins.PALETTE.length);
    }

    @Test
    void fewDistinctValuesGetABinEachAndNaNNone() {
        QuantileBins b = QuantileBins.of(new double[]{10, 0, 5, 5, Double.NaN, 0}, 8);
        assertArrayEquals(new String[]{"0", "5", "10"}, b.labels());
        assertArrayEquals(new int[]{2, 0, 1, 1, -1, 0}, b.binOf());
        // three bins spread over the palette: first, middle, last
        assertEquals(QuantileBins.PALETTE[7], b.colours()[2]);

        QuantileBins acc = QuantileBins.of(new double[]{0.81, 0.82, 0.9, 0.91, 0.95, 0.99, 0.6, 0.7, 0.75}, 3);
        assertEquals("0.60–0.75", acc.labels()[0]);
    }

    @Test
    void lossCurvesAreReadFromTheEncoderRecordAsTheTrainerWritesIt(@TempDir Path dir) throws IOException {
        // the trainer's own records, written by the store's own JSON writer: NaN where E_c has no reconstruction
        List<EncoderTrainer.EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= 4; e++) {
            history.add(new EncoderTrainer.EpochRecord(e, 1e-3, 2.0, 50.0,
                    new LossMonitor.Losses(3.0 / e, 2.0 / e, Double.NaN, Double.NaN),
                    new LossMonitor.Losses(3.5 / e, 2.5 / e, Double.NaN, e == 2 ? 0.25 : Double.NaN)));
        }
        EncoderStore store = new EncoderStore(dir.toString());
        store.writeJson(store.recordPath(), Map.of("fingerprint", "x", "history", history));

        List<EpochLosses> curve = EncoderLosses.read(dir.toUri().toString());
        assertEquals(4, curve.size());
        assertEquals(new EpochLosses(1, 3.0, 3.5, Double.NaN, Double.NaN), curve.get(0));
        assertEquals(0.25, curve.get(1).validationReconstructionR2());
        assertEquals(0.75, curve.get(3).trainLoss());

        ReportOptions o = ReportOptions.defaults();
        EmbeddingPcaTest.assertValidPng(Plots.loss(curve, o), o.plotWidth(), o.plotHeight());
        // one finite reconstruction R² is still a curve; none is no plot
        EmbeddingPcaTest.assertValidPng(Plots.reconstructionR2(curve, o), o.plotWidth(), o.plotHeight());
        assertNull(Plots.reconstructionR2(List.of(curve.get(0)), o));
        assertNull(Plots.predictedVsTrue(List.of(), o));
    }

    @Test
    void plotsRenderInAJvmWithABrokenDisplay(@TempDir Path dir) throws Exception {
        // A DISPLAY that names no X server: AWT in normal mode would fail to connect; Plots must switch to headless.
        Path png = dir.resolve("loss.png");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HeadlessPlotMain.class.getName(), png.toString());
        pb.environment().put("DISPLAY", ":97");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectErrorStream(true);
        File log = dir.resolve("out.txt").toFile();
        pb.redirectOutput(log);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("headless=true"), out);
        ReportOptions o = ReportOptions.defaults();
        EmbeddingPcaTest.assertValidPng(Files.readAllBytes(png), o.plotWidth(), o.plotHeight());
    }
}
