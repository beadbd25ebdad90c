package org.hyperrep.report;

/**
 * How the report draws its plots.
 *
 * @param plotWidth    width in pixels of a full-size plot (PCA, loss curves)
 * @param plotHeight   height in pixels of a full-size plot
 * @param panelWidth   width in pixels of one small-multiple panel (predicted vs true, one per feature set)
 * @param panelHeight  height in pixels of one panel
 * @param panelColumns panels per row of the small multiples
 * @param colourBins   at most this many quantile bins when colouring points by a continuous value
 * @param markerSize   scatter marker size in pixels
 */
public record ReportOptions(int plotWidth, int plotHeight, int panelWidth, int panelHeight, int panelColumns,
                            int colourBins, int markerSize) {
    /** As many bins as the sequential palette has colours. */
    public static final int MAX_COLOUR_BINS = 8;

    public ReportOptions {
        if (plotWidth < 100 || plotHeight < 100 || panelWidth < 100 || panelHeight < 100) {
            throw new IllegalArgumentException("plots need at least 100x100 pixels");
        }
        if (panelColumns < 1) throw new IllegalArgumentException("panelColumns must be at least 1");
        if (colourBins < 2 || colourBins > MAX_COLOUR_BINS) {
            throw new IllegalArgumentException("colourBins must be in [2, " + MAX_COLOUR_BINS + "]");
        }
        if (markerSize < 1) throw new IllegalArgumentException("markerSize must be at least 1");
    }

    public static ReportOptions defaults() {
        return new ReportOptions(760, 480, 380, 360, 3, 8, 5);
    }

    public ReportOptions withColourBins(int bins) {
        return new ReportOptions(plotWidth, plotHeight, panelWidth, panelHeight, panelColumns, bins, markerSize);
    }

    public ReportOptions withPlotSize(int width, int height) {
        return new ReportOptions(width, height, panelWidth, panelHeight, panelColumns, colourBins, markerSize);
    }

    public ReportOptions withPanels(int width, int height, int columns) {
        return new ReportOptions(plotWidth, plotHeight, width, height, columns, colourBins, markerSize);
    }
}
