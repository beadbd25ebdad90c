package org.hyperrep.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.hyperrep.config.BadInputException;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted probe that can be applied to new rows: which feature set and column it reads, which target it
 * predicts, and the MLlib pipeline. Saved as
 * <pre>
 * DIR/FEATURE_SET/TARGET/probe.json   what it is (feature set, column, target, kind, model, labels, λ, metrics)
 * DIR/FEATURE_SET/TARGET/model/       the MLlib PipelineModel
 * </pre>
 * with FEATURE_SET and TARGET reduced to file-name characters ({@link #dirName}).
 */
public final class TrainedProbe {
    public static final String META = "probe.json";
    public static final String MODEL = "model";

    private final String featureSet;
    private final String featureColumn;
    private final String target;
    private final ProbeTarget.Kind kind;
    private final String model;
    private final String[] labels;
    private final Double chosenHyperparameter;
    private final PipelineModel pipeline;
    private final ConformalInterval interval;
    private final Double testCoverage;

    public TrainedProbe(String featureSet, String featureColumn, String target, ProbeFit fit) {
        this(featureSet, featureColumn, target, fit.kind(), fit.model(), fit.labels(), fit.chosenHyperparameter(),
                fit.pipeline(), null, null);
    }

    private TrainedProbe(String featureSet, String featureColumn, String target, ProbeTarget.Kind kind, String model,
                         String[] labels, Double chosenHyperparameter, PipelineModel pipeline,
                         ConformalInterval interval, Double testCoverage) {
        this.featureSet = featureSet;
        this.featureColumn = featureColumn;
        this.target = target;
        this.kind = kind;
        this.model = model;
        this.labels = labels == null ? null : labels.clone();
        this.chosenHyperparameter = chosenHyperparameter;
        this.pipeline = pipeline;
        this.interval = interval;
        this.testCoverage = testCoverage;
    }

    /** This probe with its prediction interval and the coverage that interval had on the test split. */
    public TrainedProbe withInterval(ConformalInterval interval, double testCoverage) {
        return new TrainedProbe(featureSet, featureColumn, target, kind, model, labels, chosenHyperparameter, pipeline,
                interval, testCoverage);
    }

    /** The split-conformal interval of a regression probe; null for classifiers and probes saved without one. */
    public ConformalInterval interval() { return interval; }

    /** Fraction of test rows the interval covered when the probe was fitted; null without an interval. */
    public Double testCoverage() { return testCoverage; }

    public String featureSet() { return featureSet; }
    public String featureColumn() { return featureColumn; }
    public String target() { return target; }
    public ProbeTarget.Kind kind() { return kind; }
    /** {@code ridge}, {@code softmax} or {@code gbt}. */
    public String model() { return model; }
    /** Class names by index; null for regression. */
    public String[] labels() { return labels == null ? null : labels.clone(); }
    public Double chosenHyperparameter() { return chosenHyperparameter; }
    public PipelineModel pipeline() { return pipeline; }

    /**
     * Adds {@code prediction} (double: the target's value, or the class index) and, for classification,
     * {@code predicted_label} to rows that hold {@link #featureColumn()}; other columns are kept. The rows must not
     * already have those columns (nor {@code rawPrediction}/{@code probability} for classifiers): apply one probe
     * at a time and select what you keep.
     */
    public Dataset<Row> predict(Dataset<Row> rows) {
        if (!Arrays.asList(rows.columns()).contains(featureColumn)) {
            throw new IllegalArgumentException("probe " + featureSet + "/" + target + " reads column '" + featureColumn
                    + "', which is missing; columns: " + String.join(", ", rows.columns()));
        }
        Dataset<Row> out = pipeline.transform(rows);
        for (String extra : List.of("rawPrediction", "probability")) {
            if (!Arrays.asList(rows.columns()).contains(extra) && Arrays.asList(out.columns()).contains(extra)) {
                out = out.drop(extra);
            }
        }
        return out;
    }

    /** Saves under {@code dir/FEATURE_SET/TARGET/}, replacing what is there. Returns that directory. */
    public String save(String dir) {
        Path at = new Path(new Path(dir, dirName(featureSet)), dirName(target));
        try {
            pipeline.write().overwrite().save(new Path(at, MODEL).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the probe to " + at, e);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("feature_set", featureSet);
        meta.put("feature_column", featureColumn);
        meta.put("target", target);
        meta.put("kind", kind.label());
        meta.put("model", model);
        meta.put("labels", labels == null ? null : List.of(labels));
        meta.put("chosen_hyperparameter", chosenHyperparameter);
        if (interval != null) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("level", interval.level());
            i.put("half_width", Double.isInfinite(interval.halfWidth()) ? null : interval.halfWidth());
            i.put("calibration_rows", interval.calibrationRows());
            i.put("test_coverage", testCoverage);
            meta.put("interval", i);
        }
        try {
            HadoopFiles.writeTextAtomically(new Path(at, META), Json.MAPPER.writeValueAsString(meta));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return at.toString();
    }

    /** Loads one probe saved with {@link #save} from its directory {@code dir/FEATURE_SET/TARGET}. */
    @SuppressWarnings("unchecked")
    public static TrainedProbe load(String probeDir) {
        Path at = new Path(probeDir);
        Map<String, Object> meta;
        try {
            meta = Json.MAPPER.readValue(HadoopFiles.readText(new Path(at, META)), Map.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException("probe record " + new Path(at, META) + " is not valid: " + e.getOriginalMessage(), e);
        }
        List<String> labels = (List<String>) meta.get("labels");
        Number chosen = (Number) meta.get("chosen_hyperparameter");
        Map<String, Object> i = (Map<String, Object>) meta.get("interval");
        ConformalInterval interval = null;
        Double coverage = null;
        if (i != null) {
            Number q = (Number) i.get("half_width");
            interval = new ConformalInterval(((Number) i.get("level")).doubleValue(),
                    q == null ? Double.POSITIVE_INFINITY : q.doubleValue(), ((Number) i.get("calibration_rows")).intValue());
            Number c = (Number) i.get("test_coverage");
            coverage = c == null ? null : c.doubleValue();
        }
        return new TrainedProbe((String) meta.get("feature_set"), (String) meta.get("feature_column"),
                (String) meta.get("target"), ProbeTarget.Kind.valueOf(((String) meta.get("kind")).toUpperCase()),
                (String) meta.get("model"), labels == null ? null : labels.toArray(String[]::new),
                chosen == null ? null : chosen.doubleValue(), PipelineModel.load(new Path(at, MODEL).toString()),
                interval, coverage);
    }

    /** Every probe saved under {@code dir} (as {@link ProbeSuite} saves them), by feature set then target. */
    public static List<TrainedProbe> loadAll(String dir) {
        Path root = new Path(dir);
        FileSystem fs = HadoopFiles.fs(root);
        List<TrainedProbe> out = new ArrayList<>();
        try {
            if (!fs.exists(root)) throw new BadInputException("no probes at " + dir + ": it does not exist");
            FileStatus[] sets = fs.listStatus(root);
            Arrays.sort(sets, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus set : sets) {
                if (!set.isDirectory()) continue;
                FileStatus[] targets = fs.listStatus(set.getPath());
                Arrays.sort(targets, Comparator.comparing(s -> s.getPath().getName()));
                for (FileStatus t : targets) {
                    if (t.isDirectory() && fs.exists(new Path(t.getPath(), META))) out.add(load(t.getPath().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list probes under " + dir, e);
        }
        return out;
    }

    /** A name as a directory name: letters, digits and {@code . _ - + ( )} kept, anything else becomes {@code _}. */
    public static String dirName(String name) {
        return name.replaceAll("[^A-Za-z0-9._+()-]", "_");
    }
}
