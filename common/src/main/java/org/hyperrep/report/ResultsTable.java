package org.hyperrep.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The results table in the layout of the paper's table: one row per (target, metric), one column per feature set
 * of this run, and optionally a separate group of reference columns (e.g. the paper's figures) that are shown but
 * never compete for the best value.
 *
 * <p>Values are in the unit of the metric: percent for {@link #R2} and {@link #ACCURACY}, plain for
 * {@link #KENDALL_TAU}. A missing value is an absent key, a null or a NaN. Rows are kept in the paper's order
 * (docs/zoos.md, see {@link Targets#ORDER}), Kendall's τ rows last, whatever order they were given in.
 *
 * @param featureSets      this run's feature sets, in column order (e.g. "W", "s(W)", "stats+GBT", "E_cD")
 * @param rows             the rows; their {@code values} are keyed by feature set
 * @param referenceColumns reference columns, in column order (empty if none); rows' {@code reference} keyed by these
 * @param referenceLabel   what the reference columns are (e.g. "paper, F-MNIST-Hyp"); may be null
 */
public record ResultsTable(List<String> featureSets, List<Row> rows, List<String> referenceColumns,
                           String referenceLabel) {
    public static final String R2 = "R² %";
    public static final String ACCURACY = "accuracy %";
    public static final String KENDALL_TAU = "Kendall τ";
    /** Shown for a missing value. */
    public static final String MISSING = "–";

    /**
     * One row: a target (a checkpoint column name such as {@link Targets#TEST_ACCURACY}) and the metric it is
     * scored by, with a value per feature set, optional reference values and an optional note (null if none).
     */
    public record Row(String target, String metric, Map<String, Double> values, Map<String, Double> reference,
                      String note) {
        public Row {
            if (target == null || metric == null) throw new IllegalArgumentException("a row needs a target and a metric");
            values = copy(values);
            reference = copy(reference);
        }

        public Row(String target, String metric, Map<String, Double> values) {
            this(target, metric, values, Map.of(), null);
        }

        public Row withReference(Map<String, Double> ref) { return new Row(target, metric, values, ref, note); }

        public Row withNote(String n) { return new Row(target, metric, values, reference, n); }

        private static Map<String, Double> copy(Map<String, Double> m) {
            return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
        }
    }

    private static final Comparator<Row> PAPER_ORDER = Comparator
            .comparingInt((Row r) -> r.metric().equals(KENDALL_TAU) ? 1 : 0)
            .thenComparingInt(r -> Targets.rank(r.target()));

    public ResultsTable {
        featureSets = List.copyOf(featureSets);
        referenceColumns = referenceColumns == null ? List.of() : List.copyOf(referenceColumns);
        Set<String> seen = new LinkedHashSet<>();
        for (Row r : rows) {
            for (String k : r.values().keySet()) {
                if (!featureSets.contains(k)) {
                    throw new IllegalArgumentException("row " + r.target() + " has a value for '" + k
                            + "', which is not one of the feature sets " + featureSets);
                }
            }
            for (String k : r.reference().keySet()) {
                if (!referenceColumns.contains(k)) {
                    throw new IllegalArgumentException("row " + r.target() + " has a reference value for '" + k
                            + "', which is not one of the reference columns " + referenceColumns);
                }
            }
            if (!seen.add(r.target() + "\u0000" + r.metric())) {
                throw new IllegalArgumentException("two rows for " + r.target() + " / " + r.metric());
            }
        }
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(PAPER_ORDER); // stable: unknown targets keep the order they were given in
        rows = List.copyOf(sorted);
    }

    /** A table without reference columns. */
    public ResultsTable(List<String> featureSets, List<Row> rows) {
        this(featureSets, rows, List.of(), null);
    }

    /**
     * A table with the paper's W / s(W) / E_cD figures for {@code zoo} (one of {@link PaperResults#ZOOS}, loosely
     * spelt, e.g. "fmnist-hyp") as reference columns "paper W", "paper s(W)", "paper E_cD".
     */
    public static ResultsTable comparedWithPaper(List<String> featureSets, List<Row> rows, String zoo) {
        return new ResultsTable(featureSets, rows).withPaperReference(zoo);
    }

    /**
     * This table with the paper's figures for {@code zoo} as reference columns, replacing any it had. Rows of the
     * paper's targets that this table lacks are added with no values of their own, so the comparison is complete.
     */
    public ResultsTable withPaperReference(String zoo) {
        String name = PaperResults.zooName(zoo);
        Map<String, Map<String, Double>> figures = PaperResults.figures(name);
        List<String> refCols = PaperResults.FEATURE_SETS.stream().map(f -> "paper " + f).toList();
        List<Row> out = new ArrayList<>();
        Set<String> covered = new LinkedHashSet<>();
        for (Row r : rows) {
            Map<String, Double> fig = figures.get(r.target());
            if (fig != null && r.metric().equals(PaperResults.metricOf(r.target()))) {
                out.add(r.withReference(prefixed(fig)));
                covered.add(r.target());
            } else {
                out.add(r.withReference(Map.of()));
            }
        }
        figures.forEach((target, fig) -> {
            if (!covered.contains(target)) {
                out.add(new Row(target, PaperResults.metricOf(target), Map.of(), prefixed(fig), null));
            }
        });
        return new ResultsTable(featureSets, out, refCols, "paper, " + name);
    }

    private static Map<String, Double> prefixed(Map<String, Double> fig) {
        Map<String, Double> m = new LinkedHashMap<>();
        fig.forEach((k, v) -> m.put("paper " + k, v));
        return m;
    }

    /** A row's value for a feature set, or NaN if missing. */
    public static double value(Row row, String featureSet) {
        Double v = row.values().get(featureSet);
        return v == null ? Double.NaN : v;
    }

    /** A row's reference value, or NaN if missing. */
    public static double reference(Row row, String column) {
        Double v = row.reference().get(column);
        return v == null ? Double.NaN : v;
    }

    /**
     * The feature sets with the row's best value (several on a tie; none if the row has no values). Every metric
     * here is better when higher; reference columns do not take part.
     */
    public Set<String> best(Row row) {
        double max = Double.NEGATIVE_INFINITY;
        for (String f : featureSets) {
            double v = value(row, f);
            if (!Double.isNaN(v) && v > max) max = v;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String f : featureSets) {
            if (value(row, f) == max) out.add(f);
        }
        return out;
    }

    /** A value as the table shows it: one decimal for percentages, three for τ, "–" when missing. */
    public static String format(String metric, double v) {
        if (Double.isNaN(v)) return MISSING;
        return String.format(Locale.ROOT, metric.equals(R2) || metric.equals(ACCURACY) ? "%.1f" : "%.3f", v);
    }

    public boolean hasNotes() {
        return rows.stream().anyMatch(r -> r.note() != null && !r.note().isBlank());
    }

    /**
     * The table as GitHub Markdown: target, metric, one column per feature set (best value in bold), the reference
     * columns in italics, a note column if any row has a note, and a line naming the reference group.
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("target", "metric"));
        header.addAll(featureSets);
        referenceColumns.forEach(c -> header.add("*" + c + "*"));
        if (hasNotes()) header.add("note");
        mdLine(sb, header, Function.identity());
        List<String> rule = new ArrayList<>(List.of("---", "---"));
        for (int i = 0; i < featureSets.size() + referenceColumns.size(); i++) rule.add("---:");
        if (hasNotes()) rule.add("---");
        mdLine(sb, rule, Function.identity());
        for (Row r : rows) {
            Set<String> best = best(r);
            List<String> cells = new ArrayList<>(List.of(Targets.label(r.target()), r.metric()));
            for (String f : featureSets) {
                String s = format(r.metric(), value(r, f));
                cells.add(best.contains(f) ? "**" + s + "**" : s);
            }
            for (String c : referenceColumns) {
                double v = reference(r, c);
                cells.add(Double.isNaN(v) ? MISSING : "*" + format(r.metric(), v) + "*");
            }
            if (hasNotes()) cells.add(r.note() == null ? "" : r.note());
            mdLine(sb, cells, ResultsTable::mdEscape);
        }
        if (!referenceColumns.isEmpty()) {
            sb.append('\n').append("Italic columns: ")
                    .append(referenceLabel == null ? "reference" : referenceLabel)
                    .append(" (for comparison; not part of this run, not ranked).\n");
        }
        return sb.toString();
    }

    private static void mdLine(StringBuilder sb, List<String> cells, Function<String, String> esc) {
        sb.append('|');
        for (String c : cells) sb.append(' ').append(esc.apply(c)).append(" |");
        sb.append('\n');
    }

    private static String mdEscape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /**
     * The table as CSV (RFC 4180 quoting, newline line ends): target (the column name, e.g. test_accuracy), metric,
     * one column per feature set, then the reference columns and the note; values unrounded, missing values empty.
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("target", "metric"));
        header.addAll(featureSets);
        header.addAll(referenceColumns);
        header.add("note");
        csvLine(sb, header);
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.target(), r.metric()));
            for (String f : featureSets) cells.add(csvNumber(value(r, f)));
            for (String c : referenceColumns) cells.add(csvNumber(reference(r, c)));
            cells.add(r.note() == null ? "" : r.note());
            csvLine(sb, cells);
        }
        return sb.toString();
    }

    private static String csvNumber(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static void csvLine(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        sb.append('\n');
    }
}
