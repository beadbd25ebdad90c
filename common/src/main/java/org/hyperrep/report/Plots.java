package org.hyperrep.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report's charts as PNG bytes, drawn with XChart into off-screen images.
 *
 * <p>Loading this class switches AWT to headless mode unless {@code java.awt.headless} was set explicitly (see
 * {@link Headless}); it only takes effect if nothing in the JVM initialised AWT before.
 */
public final class Plots {
    static {
        Headless.ensure();
    }

    private static final Color TRAIN = new Color(0x1f77b4), VALIDATION = new Color(0xff7f0e);
    private static final Color DIAGONAL = new Color(0x888888), MISSING = new Color(0xbbbbbb);

    private Plots() {}

    /**
     * Predicted against true test accuracy, one panel per feature set with the same axes, the diagonal, and R² in
     * the title; panels tiled {@link ReportOptions#panelColumns()} to a row. Null if there are no predictions.
     */
    public static byte[] predictedVsTrue(List<FeatureSetPredictions> predictions, ReportOptions o) {
        List<FeatureSetPredictions> nonEmpty = predictions.stream().filter(p -> p.size() > 0).toList();
        if (nonEmpty.isEmpty()) return null;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (FeatureSetPredictions p : nonEmpty) {
            for (double v : p.truth()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            for (double v : p.predicted()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        double pad = hi > lo ? 0.03 * (hi - lo) : 0.01;
        lo -= pad;
        hi += pad;
        List<XYChart> charts = new ArrayList<>();
        for (FeatureSetPredictions p : nonEmpty) {
            XYChart c = new XYChartBuilder().width(o.panelWidth()).height(o.panelHeight())
                    .title(String.format(Locale.ROOT, "%s: R² = %.3f (n = %d)", p.featureSet(), p.r2(), p.size()))
                    .xAxisTitle("true test accuracy").yAxisTitle("predicted").build();
            style(c, o);
            c.getStyler().setLegendVisible(false);
            c.getStyler().setXAxisMin(lo).setXAxisMax(hi).setYAxisMin(lo).setYAxisMax(hi);
            XYSeries diag = c.addSeries("y = x", new double[]{lo, hi}, new double[]{lo, hi});
            diag.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            diag.setMarker(SeriesMarkers.NONE);
            diag.setLineColor(DIAGONAL);
            XYSeries pts = c.addSeries("checkpoints", p.truth(), p.predicted());
            pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            pts.setMarker(SeriesMarkers.CIRCLE);
            pts.setMarkerColor(new Color(0x1f, 0x77, 0xb4, 150));
            charts.add(c);
        }
        int cols = Math.min(o.panelColumns(), charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        // XChart's own grid (BitmapEncoder.saveBitmap(list, rows, cols, ...)) needs rows × cols charts exactly
        java.awt.image.BufferedImage grid = new java.awt.image.BufferedImage(cols * o.panelWidth(),
                rows * o.panelHeight(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * o.panelWidth(),
                    (i / cols) * o.panelHeight(), null);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(grid, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the predicted-vs-true plot", e);
        }
        return out.toByteArray();
    }

    /** PCA scatter coloured by the checkpoints' test accuracy. */
    public static byte[] pcaByTestAccuracy(PcaProjection p, ReportOptions o) {
        return pca(p, p.testAccuracy(), "test accuracy", o);
    }

    /** PCA scatter coloured by the checkpoints' epoch. */
    public static byte[] pcaByEpoch(PcaProjection p, ReportOptions o) {
        return pca(p, p.epoch(), "epoch", o);
    }

    private static byte[] pca(PcaProjection p, double[] colourBy, String what, ReportOptions o) {
        double[] r = p.explainedVarianceRatio();
        XYChart c = new XYChartBuilder().width(o.plotWidth()).height(o.plotHeight())
                .title("PCA of " + p.name() + " embeddings, coloured by " + what + " (n = " + p.size() + ")")
                .xAxisTitle(String.format(Locale.ROOT, "PC1 (%.1f%% of variance)", 100 * r[0]))
                .yAxisTitle(String.format(Locale.ROOT, "PC2 (%.1f%% of variance)", 100 * r[1])).build();
        style(c, o);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        QuantileBins bins = QuantileBins.of(colourBy, o.colourBins());
        for (int b = -1; b < bins.bins(); b++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) if (bins.binOf()[i] == b) idx.add(i);
            if (idx.isEmpty()) continue;
            double[] x = idx.stream().mapToDouble(i -> p.x()[i]).toArray();
            double[] y = idx.stream().mapToDouble(i -> p.y()[i]).toArray();
            // XChart needs unique series names; two bins never share a label, but "no value" must not clash
            XYSeries s = c.addSeries(b < 0 ? "no " + what : what + " " + bins.labels()[b], x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(b < 0 ? MISSING : bins.colours()[b]);
        }
        return png(c);
    }

    /**
     * Train and validation total loss per epoch; log y when every plotted value is positive. Null if no epoch has a
     * finite loss.
     */
    public static byte[] loss(List<EpochLosses> curve, ReportOptions o) {
        return curves(curve, "encoder loss", "total loss", EpochLosses::trainLoss, EpochLosses::validationLoss,
                true, o);
    }

    /** Train and validation reconstruction R² per epoch. Null if the encoder has no reconstruction (e.g. E_c). */
    public static byte[] reconstructionR2(List<EpochLosses> curve, ReportOptions o) {
        return curves(curve, "weight reconstruction", "reconstruction R²", EpochLosses::trainReconstructionR2,
                EpochLosses::validationReconstructionR2, false, o);
    }

    private static byte[] curves(List<EpochLosses> curve, String title, String yTitle,
                                 ToDoubleFunction<EpochLosses> train, ToDoubleFunction<EpochLosses> val,
                                 boolean logIfPositive, ReportOptions o) {
        double[][] tr = finitePoints(curve, train), va = finitePoints(curve, val);
        if (tr[0].length == 0 && va[0].length == 0) return null;
        XYChart c = new XYChartBuilder().width(o.plotWidth()).height(o.plotHeight()).title(title)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        style(c, o);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        boolean positive = allPositive(tr[1]) && allPositive(va[1]);
        if (logIfPositive && positive) c.getStyler().setYAxisLogarithmic(true);
        if (tr[0].length > 0) line(c.addSeries("train", tr[0], tr[1]), TRAIN);
        if (va[0].length > 0) line(c.addSeries("validation", va[0], va[1]), VALIDATION);
        return png(c);
    }

    private static void line(XYSeries s, Color colour) {
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    // XChart draws a NaN as a gap only in some renderers; dropping the point keeps lines continuous everywhere.
    private static double[][] finitePoints(List<EpochLosses> curve, ToDoubleFunction<EpochLosses> f) {
        List<double[]> pts = new ArrayList<>();
        for (EpochLosses e : curve) {
            double v = f.applyAsDouble(e);
            if (Double.isFinite(v)) pts.add(new double[]{e.epoch(), v});
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    private static boolean allPositive(double[] v) {
        for (double d : v) if (!(d > 0)) return false;
        return true;
    }

    static void style(XYChart c, ReportOptions o) {
        c.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendBorderColor(Color.LIGHT_GRAY).setAntiAlias(true).setMarkerSize(o.markerSize());
        c.getStyler().setPlotGridLinesColor(new Color(0xeeeeee));
    }

    static byte[] png(XYChart c) {
        try {
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a plot as PNG", e);
        }
    }
}
