package org.hyperrep.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one report shows. Every part but the title and table may be empty: the report leaves out what it
 * was not given.
 *
 * @param title                   the report's heading (e.g. "fmnist-hyp-small: probes")
 * @param table                   the results table
 * @param testAccuracyPredictions per feature set, predicted vs true test accuracy on the test split, in panel order
 * @param pca                     2-D PCA projections, one per set of embeddings
 * @param lossCurves              encoder name → its per-epoch losses, in display order
 * @param provenance              config, code version, inputs...: shown as JSON at the bottom
 */
public record Report(String title, ResultsTable table, List<FeatureSetPredictions> testAccuracyPredictions,
                     List<PcaProjection> pca, Map<String, List<EpochLosses>> lossCurves,
                     Map<String, Object> provenance) {
    public Report {
        if (title == null || table == null) throw new IllegalArgumentException("a report needs a title and a table");
        testAccuracyPredictions = testAccuracyPredictions == null ? List.of() : List.copyOf(testAccuracyPredictions);
        pca = pca == null ? List.of() : List.copyOf(pca);
        lossCurves = lossCurves == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(lossCurves));
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Predictions ordered as the table's feature-set columns; feature sets the table lacks go last. */
    public List<FeatureSetPredictions> predictionsInTableOrder() {
        return testAccuracyPredictions.stream().sorted(java.util.Comparator.comparingInt(p -> {
            int i = table.featureSets().indexOf(p.featureSet());
            return i >= 0 ? i : Integer.MAX_VALUE;
        })).toList();
    }
}
