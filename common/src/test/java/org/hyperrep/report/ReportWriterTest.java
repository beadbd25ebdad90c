package org.hyperrep.report;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = SparkTestSession.start(); }

    @AfterAll
    static void stop() { spark.stop(); }

    @Test
    void writesASelfContainedHtmlWithEveryRowThePlotsAndTheProvenance(@TempDir Path tmp) throws Exception {
        // the probe's predictions arrive as Parquet: go through a file as the integrator will
        Path predsDir = tmp.resolve("predictions");
        Synthetic.predictions(spark, 40, 5).write().parquet(predsDir.toString());
        List<FeatureSetPredictions> preds = FeatureSetPredictions.testAccuracy(spark.read().parquet(predsDir.toString()));
        PcaProjection pca = EmbeddingPca.project("E_cD <test>", Synthetic.twoClusters(spark, 8, 20, 3.0, 0.3, 4));
        List<EpochLosses> curve = List.of(new EpochLosses(1, 2.0, 2.2, -1.5, -1.7),
                new EpochLosses(2, 1.2, 1.5, 0.2, 0.1), new EpochLosses(3, 0.8, Double.NaN, 0.5, 0.4));

        List<ResultsTable.Row> rows = new java.util.ArrayList<>();
        for (String t : Targets.ORDER) {
            rows.add(new ResultsTable.Row(t, PaperResults.metricOf(t), Map.of("good", 50.0, "poor", 40.0)));
        }
        rows.add(new ResultsTable.Row(Targets.TEST_ACCURACY, ResultsTable.KENDALL_TAU, Map.of("good", 0.81)));
        ResultsTable table = ResultsTable.comparedWithPaper(List.of("poor", "good"), rows, "F-MNIST-Hyp");
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("code_version", "0.1.0 (abc1234)");
        prov.put("config", Map.of("probe", Map.of("lambda_grid", List.of(1e3, 1e-5))));
        prov.put("inputs", Map.of("zoo", "file:/zoos/fmnist <small>"));

        Path out = tmp.resolve("report");
        Files.createDirectories(out.resolve(ReportWriter.PLOTS));
        Files.write(out.resolve(ReportWriter.PLOTS).resolve("stale-from-last-run.png"), new byte[]{1, 2, 3});
        WrittenReport w = ReportWriter.write(out.toUri(), new Report("fmnist-small: probes", table, preds,
                List.of(pca), Map.of("E_cD", curve), prov));

        assertEquals(5, w.plots().size(), "predicted-vs-true, 2 PCA, loss, reconstruction R²: " + w.plots());
        for (var u : w.plots()) {
            boolean panels = u.toString().contains("predicted");
            // two feature sets: two 380x360 panels side by side; the other plots 760x480
            EmbeddingPcaTest.assertValidPng(Files.readAllBytes(Path.of(u)), panels ? 2 * 380 : 760, panels ? 360 : 480);
        }
        assertFalse(Files.exists(out.resolve("plots/stale-from-last-run.png")), "plots of an earlier report are removed");
        assertEquals(table.toCsv(), Files.readString(out.resolve(ReportWriter.CSV)));

        String html = Files.readString(Path.of(w.html()), StandardCharsets.UTF_8);
        assertFalse(html.contains("src=\"http"), "no external resources");
        assertFalse(html.contains("<script"), "no JavaScript");
        assertFalse(html.contains("<link"), "no external style sheets");
        Matcher img = Pattern.compile("<img [^>]*src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (img.find()) {
            images++;
            String src = img.group(1);
            assertTrue(src.startsWith("data:image/png;base64,"), "img not a data URI: " + src.substring(0, 40));
            byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
            assertTrue(png.length > 5_000);
        }
        assertEquals(5, images);
        assertEquals(html.split("<img ", -1).length - 1, images, "every img was matched");
        for (String t : Targets.ORDER) assertTrue(html.contains("<tr><td>" + Targets.label(t) + "</td>"), t);
        assertTrue(html.contains("<td>test accuracy</td><td>Kendall τ</td>"));
        // best of this run in bold, the paper's higher figures alongside but not bold
        assertTrue(html.contains("<td>test accuracy</td><td>R² %</td><td class=\"num\">40.0</td>"
                + "<td class=\"num\"><strong>50.0</strong></td><td class=\"num ref ref-first\">70.9</td>"), html);
        assertTrue(html.contains("paper, F-MNIST-Hyp"));
        assertTrue(html.contains("<details>") && html.contains("lambda_grid") && html.contains("abc1234"));
        assertTrue(html.contains("fmnist &lt;small&gt;"), "provenance is escaped");
        assertTrue(html.contains("PCA of E_cD &lt;test&gt;") || html.contains("E_cD &lt;test&gt; embeddings"));

        String md = Files.readString(Path.of(w.markdown()));
        assertTrue(md.startsWith("# fmnist-small: probes\n\n" + table.toMarkdown()), md);
        for (var u : w.plots()) {
            String name = Path.of(u).getFileName().toString();
            assertTrue(md.contains("](plots/" + name + ")"), name);
        }
    }

    @Test
    void aReportWithOnlyATableHasNoPlots(@TempDir Path tmp) throws Exception {
        ResultsTable table = new ResultsTable(List.of("W"), List.of(
                new ResultsTable.Row(Targets.EPOCH, ResultsTable.R2, Map.of("W", 12.0))));
        WrittenReport w = ReportWriter.write(tmp.toUri(), new Report("t", table, null, null, null, null));
        assertTrue(w.plots().isEmpty());
        String html = Files.readString(Path.of(w.html()));
        assertFalse(html.contains("<img"));
        assertTrue(html.contains("<strong>12.0</strong>"));
    }
}
