package org.hyperrep.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Report} into a directory (a Hadoop URI):
 * <pre>
 * report.md     title, the table, links to the plots, the provenance
 * results.csv   the table, unrounded
 * report.html   one self-contained page: the table, the plots as data: URIs, the provenance; no scripts
 * plots/*.png   the plots
 * </pre>
 * Each file is written to a temporary name and renamed, the HTML last; PNGs in plots/ left from an earlier report
 * in the same directory are removed, so the directory describes one report.
 */
public final class ReportWriter {
    public static final String HTML = "report.html", MARKDOWN = "report.md", CSV = "results.csv", PLOTS = "plots";

    static {
        Headless.ensure();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    /** One plot: file name under plots/, section, caption, PNG bytes. */
    private record Plot(String file, String section, String caption, byte[] png) {
    }

    private static final String PREDICTIONS = "Predicted vs true test accuracy", EMBEDDINGS = "Embeddings (PCA)",
            TRAINING = "Encoder training";

    private ReportWriter() {}

    public static WrittenReport write(URI dir, Report report) {
        return write(dir, report, ReportOptions.defaults());
    }

    public static WrittenReport write(URI dir, Report report, ReportOptions options) {
        Path root = new Path(dir);
        List<Plot> plots = plots(report, options);
        Path plotDir = new Path(root, PLOTS);
        List<URI> plotUris = new ArrayList<>();
        for (Plot p : plots) {
            Path target = new Path(plotDir, p.file());
            writeBytesAtomically(target, p.png());
            plotUris.add(target.toUri());
        }
        removeStalePlots(plotDir, plots);
        Path csv = new Path(root, CSV), md = new Path(root, MARKDOWN), html = new Path(root, HTML);
        HadoopFiles.writeTextAtomically(csv, report.table().toCsv());
        HadoopFiles.writeTextAtomically(md, markdown(report, plots));
        HadoopFiles.writeTextAtomically(html, html(report, plots));
        LOG.info("report written to {} ({} rows, {} plots)", html, report.table().rows().size(), plots.size());
        return new WrittenReport(html.toUri(), md.toUri(), csv.toUri(), plotUris);
    }

    private static List<Plot> plots(Report r, ReportOptions o) {
        List<Plot> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        byte[] pvt = Plots.predictedVsTrue(r.predictionsInTableOrder(), o);
        if (pvt != null) {
            out.add(new Plot(unique(names, "predicted-vs-true-test-accuracy"), PREDICTIONS,
                    "Predicted vs true test accuracy on the test split, one panel per feature set; the grey line is "
                            + "y = x.", pvt));
        }
        for (PcaProjection p : r.pca()) {
            String s = slug(p.name());
            out.add(new Plot(unique(names, "pca-" + s + "-test-accuracy"), EMBEDDINGS,
                    "First two principal components of the " + p.name() + " embeddings, coloured by test accuracy "
                            + "(quantile bins).", Plots.pcaByTestAccuracy(p, o)));
            out.add(new Plot(unique(names, "pca-" + s + "-epoch"), EMBEDDINGS,
                    "The same projection coloured by epoch.", Plots.pcaByEpoch(p, o)));
        }
        r.lossCurves().forEach((name, curve) -> {
            byte[] loss = Plots.loss(curve, o);
            if (loss != null) {
                out.add(new Plot(unique(names, "loss-" + slug(name)), TRAINING,
                        "Encoder " + name + ": total loss per epoch on the monitored training and validation samples.",
                        loss));
            }
            byte[] r2 = Plots.reconstructionR2(curve, o);
            if (r2 != null) {
                out.add(new Plot(unique(names, "reconstruction-r2-" + slug(name)), TRAINING,
                        "Encoder " + name + ": R² of the reconstructed weights per epoch.", r2));
            }
        });
        return out;
    }

    private static String unique(Set<String> names, String base) {
        String n = base;
        for (int i = 2; !names.add(n); i++) n = base + "-" + i;
        return n + ".png";
    }

    static String slug(String s) {
        String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return out.isEmpty() ? "x" : out;
    }

    private static void writeBytesAtomically(Path p, byte[] bytes) {
        Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp-" + System.nanoTime());
        try {
            FileSystem fs = HadoopFiles.fs(p);
            fs.mkdirs(p.getParent());
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
                out.hsync();
            }
            HadoopFiles.replace(tmp, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    private static void removeStalePlots(Path plotDir, List<Plot> plots) {
        Set<String> keep = new HashSet<>();
        plots.forEach(p -> keep.add(p.file()));
        try {
            FileSystem fs = HadoopFiles.fs(plotDir);
            if (!fs.exists(plotDir)) return;
            for (FileStatus st : fs.listStatus(plotDir)) {
                String n = st.getPath().getName();
                if (st.isFile() && n.endsWith(".png") && !keep.contains(n)) fs.delete(st.getPath(), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tidy " + plotDir, e);
        }
    }

    // ---------------------------------------------------------------- Markdown

    static String markdown(Report r, List<Plot> plots) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.title()).append("\n\n");
        sb.append(r.table().toMarkdown());
        String section = null;
        for (Plot p : plots) {
            if (!p.section().equals(section)) {
                section = p.section();
                sb.append("\n## ").append(section).append("\n");
            }
            sb.append("\n![").append(p.caption()).append("](").append(PLOTS).append('/').append(p.file())
                    .append(")\n");
        }
        if (!r.provenance().isEmpty()) {
            sb.append("\n## Provenance\n\n```json\n").append(json(r.provenance())).append("\n```\n");
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- HTML

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
                   max-width: 1200px; padding: 0 1em; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
            table.results { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            table.results th, table.results td { padding: 0.3em 0.7em; border-bottom: 1px solid #e5e5e5; }
            table.results th { background: #f6f6f6; text-align: center; }
            table.results td.num { text-align: right; }
            table.results .ref { color: #666; font-style: italic; background: #fafafa; }
            table.results .ref-first { border-left: 3px double #bbb; }
            table.results td.note { color: #555; font-size: 0.9em; }
            p.caption, figcaption { color: #555; font-size: 0.9em; }
            figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            details pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.85em; }
            """;

    static String html(Report r, List<Plot> plots) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(r.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(esc(r.title())).append("</h1>\n");
        sb.append("<h2>Results</h2>\n");
        table(sb, r.table());
        String section = null;
        for (Plot p : plots) {
            if (!p.section().equals(section)) {
                section = p.section();
                sb.append("<h2>").append(esc(section)).append("</h2>\n");
            }
            sb.append("<figure><img alt=\"").append(esc(p.caption())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(p.png())).append("\"><figcaption>")
                    .append(esc(p.caption())).append("</figcaption></figure>\n");
        }
        sb.append("<h2>Provenance</h2>\n<details><summary>Config, code version and inputs</summary>\n<pre>")
                .append(esc(json(r.provenance()))).append("</pre>\n</details>\n");
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void table(StringBuilder sb, ResultsTable t) {
        boolean refs = !t.referenceColumns().isEmpty(), notes = t.hasNotes();
        sb.append("<table class=\"results\">\n<thead>\n");
        if (refs) {
            // A group header row sets the reference columns apart from this run's.
            sb.append("<tr><th rowspan=\"2\">target</th><th rowspan=\"2\">metric</th><th colspan=\"")
                    .append(t.featureSets().size()).append("\">this run</th><th class=\"ref ref-first\" colspan=\"")
                    .append(t.referenceColumns().size()).append("\">")
                    .append(esc(t.referenceLabel() == null ? "reference" : t.referenceLabel())).append("</th>");
            if (notes) sb.append("<th rowspan=\"2\">note</th>");
            sb.append("</tr>\n<tr>");
        } else {
            sb.append("<tr><th>target</th><th>metric</th>");
        }
        for (String f : t.featureSets()) sb.append("<th>").append(esc(f)).append("</th>");
        for (int i = 0; i < t.referenceColumns().size(); i++) {
            sb.append("<th class=\"ref").append(i == 0 ? " ref-first" : "").append("\">")
                    .append(esc(t.referenceColumns().get(i))).append("</th>");
        }
        if (notes && !refs) sb.append("<th>note</th>");
        sb.append("</tr>\n</thead>\n<tbody>\n");
        for (ResultsTable.Row row : t.rows()) {
            Set<String> best = t.best(row);
            sb.append("<tr><td>").append(esc(Targets.label(row.target()))).append("</td><td>")
                    .append(esc(row.metric())).append("</td>");
            for (String f : t.featureSets()) {
                String s = esc(ResultsTable.format(row.metric(), ResultsTable.value(row, f)));
                sb.append("<td class=\"num\">").append(best.contains(f) ? "<strong>" + s + "</strong>" : s)
                        .append("</td>");
            }
            for (int i = 0; i < t.referenceColumns().size(); i++) {
                sb.append("<td class=\"num ref").append(i == 0 ? " ref-first" : "").append("\">")
                        .append(esc(ResultsTable.format(row.metric(),
                                ResultsTable.reference(row, t.referenceColumns().get(i))))).append("</td>");
            }
            if (notes) sb.append("<td class=\"note\">").append(row.note() == null ? "" : esc(row.note())).append("</td>");
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
        sb.append("<p class=\"caption\">Test R² and accuracy in %, Kendall's τ of test accuracy; best of this run's "
                + "feature sets in bold, – where not measured.");
        if (refs) {
            sb.append(" Italic columns: ").append(esc(t.referenceLabel() == null ? "reference" : t.referenceLabel()))
                    .append(", for comparison only.");
        }
        sb.append("</p>\n");
    }

    private static String json(Map<String, Object> provenance) {
        try {
            return Json.MAPPER.writeValueAsString(provenance);
        } catch (JsonProcessingException e) {
            // A provenance value Jackson cannot serialise must not cost the whole report: show its toString.
            Map<String, Object> plain = new LinkedHashMap<>();
            provenance.forEach((k, v) -> plain.put(k, String.valueOf(v)));
            try {
                return Json.MAPPER.writeValueAsString(plain);
            } catch (JsonProcessingException again) {
                return plain.toString();
            }
        }
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
