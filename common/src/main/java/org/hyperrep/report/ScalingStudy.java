package org.hyperrep.report;

import org.hyperrep.probe.ProbeResult;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The outcome of a scaling study (docs/scaling-study.md): test metric per (zoo size, feature set, target) as the mean
 * over encoder seeds with its range, as a table (Markdown, CSV) and one plot per target of the metric against the
 * number of models.
 */
public final class ScalingStudy {
    private ScalingStudy() { }

    /** The probe results of one cell: {@code models} train + validation models, one encoder seed (null: baselines). */
    public record Run(int models, Long seed, List<ProbeResult> results) { }

    /** One encoder's reconstruction R² after training (last epoch), train and validation. */
    public record Reconstruction(int models, long seed, double train, double validation) { }

    /**
     * A (size, feature set, target) point: mean, minimum and maximum of the test metric over its runs.
     *
     * @param runs how many runs (encoder seeds) it aggregates
     */
    public record Point(int models, String featureSet, String target, String kind, double mean, double min, double max,
                        int runs) { }

    /** The points in size order, feature sets and targets in their first-seen order. */
    public static List<Point> summarize(List<Run> runs) {
        Map<List<Object>, List<ProbeResult>> groups = new LinkedHashMap<>();
        runs.stream().sorted((a, b) -> Integer.compare(a.models(), b.models())).forEach(r -> r.results().forEach(p ->
                groups.computeIfAbsent(List.of(r.models(), p.featureSet(), p.target()), k -> new ArrayList<>()).add(p)));
        List<Point> out = new ArrayList<>();
        groups.forEach((k, v) -> {
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (ProbeResult p : v) {
                sum += p.testMetric();
                min = Math.min(min, p.testMetric());
                max = Math.max(max, p.testMetric());
            }
            out.add(new Point((Integer) k.get(0), (String) k.get(1), (String) k.get(2), v.get(0).kind(),
                    sum / v.size(), min, max, v.size()));
        });
        return out;
    }

    /** One Markdown table per target: a row per feature set, a column per size, "mean (min–max)" over seeds. */
    public static String toMarkdown(List<Point> points, List<Reconstruction> reconstructions) {
        StringBuilder b = new StringBuilder();
        Set<Integer> sizes = new TreeSet<>();
        Set<String> targets = new LinkedHashSet<>(), sets = new LinkedHashSet<>();
        for (Point p : points) {
            sizes.add(p.models());
            targets.add(p.target());
            sets.add(p.featureSet());
        }
        for (String target : targets) {
            String kind = points.stream().filter(p -> p.target().equals(target)).findFirst().orElseThrow().kind();
            b.append("### ").append(target).append(" (test ").append(kind.equals("regression") ? "R²" : "accuracy")
                    .append(", %)\n\n| feature set |");
            sizes.forEach(n -> b.append(' ').append(n).append(" models |"));
            b.append("\n|---|");
            sizes.forEach(n -> b.append("---:|"));
            b.append('\n');
            for (String set : sets) {
                StringBuilder row = new StringBuilder("| ").append(set).append(" |");
                boolean any = false;
                for (int n : sizes) {
                    Point p = find(points, n, set, target);
                    any |= p != null;
                    row.append(' ').append(p == null ? "" : cell(p)).append(" |");
                }
                if (any) b.append(row).append('\n');
            }
            b.append('\n');
        }
        if (!reconstructions.isEmpty()) {
            b.append("### encoder reconstruction R² (last epoch)\n\n| models | seed | train | validation |\n|---:|---:|---:|---:|\n");
            for (Reconstruction r : reconstructions) {
                b.append(String.format(Locale.ROOT, "| %d | %d | %.3f | %.3f |%n", r.models(), r.seed(), r.train(),
                        r.validation()));
            }
        }
        return b.toString();
    }

    private static String cell(Point p) {
        return p.runs() == 1 ? String.format(Locale.ROOT, "%.1f", p.mean())
                : String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", p.mean(), p.min(), p.max());
    }

    private static Point find(List<Point> points, int models, String set, String target) {
        for (Point p : points) {
            if (p.models() == models && p.featureSet().equals(set) && p.target().equals(target)) return p;
        }
        return null;
    }

    /** models,feature_set,target,kind,mean,min,max,runs per point. */
    public static String toCsv(List<Point> points) {
        StringBuilder b = new StringBuilder("models,feature_set,target,kind,mean,min,max,runs\n");
        for (Point p : points) {
            b.append(String.format(Locale.ROOT, "%d,\"%s\",%s,%s,%.4f,%.4f,%.4f,%d%n", p.models(),
                    p.featureSet().replace("\"", "\"\""), p.target(), p.kind(), p.mean(), p.min(), p.max(), p.runs()));
        }
        return b.toString();
    }

    /** Test metric against the number of models (log axis) for one target, a line per feature set, seed range as bars. */
    public static byte[] plot(List<Point> points, String target, ReportOptions o) {
        List<Point> mine = points.stream().filter(p -> p.target().equals(target)).toList();
        if (mine.isEmpty()) return null;
        XYChart c = new XYChartBuilder().width(o.plotWidth()).height(o.plotHeight())
                .title(target + ": test metric against zoo size").xAxisTitle("train + validation models")
                .yAxisTitle(mine.get(0).kind().equals("regression") ? "test R² (%)" : "test accuracy (%)").build();
        Plots.style(c, o);
        c.getStyler().setXAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        Map<String, List<Point>> bySet = new LinkedHashMap<>();
        mine.forEach(p -> bySet.computeIfAbsent(p.featureSet(), k -> new ArrayList<>()).add(p));
        bySet.forEach((set, ps) -> {
            double[] x = ps.stream().mapToDouble(Point::models).toArray();
            double[] y = ps.stream().mapToDouble(Point::mean).toArray();
            double[] err = ps.stream().mapToDouble(p -> (p.max() - p.min()) / 2).toArray();
            c.addSeries(set, x, y, err).setMarker(SeriesMarkers.CIRCLE);
        });
        return Plots.png(c);
    }
}
