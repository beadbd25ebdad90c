package org.hyperrep.store;

import org.hyperrep.config.DatasetSpec;
import org.hyperrep.config.SplitSpec;
import org.hyperrep.config.TrainingSpec;
import org.hyperrep.weights.WeightLayout;

import java.util.List;
import java.util.Map;

/**
 * {@code zoo.json}: what a zoo is (name, architecture, data set, training recipe, split), its canonical weight
 * layout (the source of truth for every consumer), the factor values it holds, and the builds that made it.
 * Only the parts that fix a model's meaning are checked when a build adds to an existing zoo.
 */
public record ZooManifest(String format, int formatVersion, int checkpointSchemaVersion, String name,
                          String architecture, DatasetSpec dataset, TrainingSpec training, SplitSpec split,
                          WeightLayout layout, Map<String, List<Object>> factorValues, long models,
                          long checkpoints, List<BuildEntry> builds) {

    public static final String FORMAT = "hyperrep-zoo";
    public static final int FORMAT_VERSION = 1;

    /** One build that added to the zoo. */
    public record BuildEntry(String runId, String started, String ended, long modelsPlanned, long modelsTrained,
                             long rowsWritten, String codeVersion, String provenance) {
    }

    /** The fields that must agree between an existing zoo and a build that adds to it, named for messages. */
    public Map<String, Object> identity() {
        return Map.of("zoo.name", name, "zoo.architecture", architecture, "zoo.dataset", dataset,
                "zoo.training", training, "zoo.split", split);
    }
}
