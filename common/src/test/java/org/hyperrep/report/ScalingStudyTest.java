package org.hyperrep.report;

import org.hyperrep.probe.ProbeResult;
import org.hyperrep.probe.ProbeResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scaling study's summary: means and ranges over seeds, the table, the CSV the probe runs are read from. */
class ScalingStudyTest {

    private static ProbeResult r(String set, String target, double metric) {
        return new ProbeResult(target, "regression", set, "ridge", metric, metric, 1.0, null, 10, 5, 0.1);
    }

    @Test
    void meanAndRangeOverSeedsPerSizeFeatureSetAndTarget(@TempDir Path dir) {
        List<ScalingStudy.Run> runs = List.of(
                new ScalingStudy.Run(512, null, List.of(r("W", "epoch", 70))),
                new ScalingStudy.Run(128, null, List.of(r("W", "epoch", 50))),
                new ScalingStudy.Run(128, 1L, List.of(r("E_cD", "epoch", 40))),
                new ScalingStudy.Run(128, 2L, List.of(r("E_cD", "epoch", 50))),
                new ScalingStudy.Run(128, 3L, List.of(r("E_cD", "epoch", 60))));
        List<ScalingStudy.Point> points = ScalingStudy.summarize(runs);
        assertEquals(3, points.size());
        ScalingStudy.Point e = points.stream().filter(p -> p.featureSet().equals("E_cD")).findFirst().orElseThrow();
        assertEquals(50, e.mean(), 1e-9);
        assertEquals(40, e.min(), 1e-9);
        assertEquals(60, e.max(), 1e-9);
        assertEquals(3, e.runs());
        assertEquals(128, points.get(0).models(), "sizes in order");
        String md = ScalingStudy.toMarkdown(points, List.of(new ScalingStudy.Reconstruction(128, 1, 0.5, 0.4)));
        assertTrue(md.contains("| E_cD | 50.0 (40.0–60.0) |  |"), md);
        assertTrue(md.contains("| W | 50.0 | 70.0 |"), md);
        assertTrue(md.contains("| 128 | 1 | 0.500 | 0.400 |"), md);
        assertNotNull(ScalingStudy.plot(points, "epoch", ReportOptions.defaults()));

        List<ProbeResult> written = List.of(r("E_cD⊕s(W)", "epoch", 12.5), r("a,\"b\"", "test_accuracy", 3));
        String csv = dir.resolve("r.csv").toString();
        ProbeResults.writeCsv(written, csv);
        assertEquals(written, ProbeResults.readCsv(csv), "CSV round trip, quoting included");
    }
}
