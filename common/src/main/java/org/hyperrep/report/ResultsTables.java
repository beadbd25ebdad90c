package org.hyperrep.report;

import org.hyperrep.probe.ProbeResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results table of a probe run: one row per target (R² % or accuracy %), plus Kendall's τ of test accuracy. */
public final class ResultsTables {
    private ResultsTables() {}

    /** @param featureSets the columns, in display order (every result's feature set must be among them) */
    public static ResultsTable of(List<String> featureSets, List<ProbeResult> results) {
        Map<String, Map<String, Double>> metric = new LinkedHashMap<>();
        Map<String, String> kind = new LinkedHashMap<>();
        Map<String, Double> tau = new LinkedHashMap<>();
        for (ProbeResult r : results) {
            metric.computeIfAbsent(r.target(), t -> new LinkedHashMap<>()).put(r.featureSet(), r.testMetric());
            kind.put(r.target(), r.kind());
            if (r.kendallTau() != null) tau.put(r.featureSet(), r.kendallTau());
        }
        List<ResultsTable.Row> rows = new ArrayList<>();
        metric.forEach((target, values) -> rows.add(new ResultsTable.Row(target,
                "classification".equals(kind.get(target)) ? ResultsTable.ACCURACY : ResultsTable.R2, values)));
        if (!tau.isEmpty()) rows.add(new ResultsTable.Row(Targets.TEST_ACCURACY, ResultsTable.KENDALL_TAU, tau));
        return new ResultsTable(featureSets, rows);
    }
}
