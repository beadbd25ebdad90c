package org.hyperrep.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an artifact was made: the job, the resolved config, the code version, the inputs and their identity, start
 * and end time, row counts, and the platform (JVM, OS, CPU architecture, ND4J backend), because the same training
 * gives different floats on different platforms. Written as JSON beside the artifact.
 */
public final class Provenance {
    private final Map<String, Object> record = new LinkedHashMap<>();
    private final Map<String, Object> counts = new LinkedHashMap<>();

    private Provenance(String job, String runId, Object config, List<String> command) {
        record.put("job", job);
        record.put("run_id", runId);
        record.put("command", command);
        record.put("code_version", CodeVersion.describe());
        record.put("git_commit", CodeVersion.gitCommit());
        record.put("started", Instant.now().toString());
        record.put("config", config);
        record.put("platform", platform());
    }

    /**
     * @param config the resolved config as a JSON-able value (a parsed tree or a record)
     */
    public static Provenance start(String job, String runId, Object config, List<String> command) {
        return new Provenance(job, runId, config, command);
    }

    public Provenance input(String name, Object identity) {
        @SuppressWarnings("unchecked")
        Map<String, Object> inputs = (Map<String, Object>) record.computeIfAbsent("inputs", k -> new LinkedHashMap<>());
        inputs.put(name, identity);
        return this;
    }

    public Provenance count(String name, long value) {
        counts.put(name, value);
        return this;
    }

    public Provenance put(String key, Object value) {
        record.put(key, value);
        return this;
    }

    public String started() { return (String) record.get("started"); }

    /** Stamps the end time and writes the record atomically to {@code path}. */
    public void finishAndWrite(Path path) {
        record.put("ended", Instant.now().toString());
        record.put("counts", counts);
        try {
            HadoopFiles.writeTextAtomically(path, Json.MAPPER.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String ended() { return (String) record.get("ended"); }

    static Map<String, Object> platform() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        p.put("arch", System.getProperty("os.arch"));
        p.put("cores", Runtime.getRuntime().availableProcessors());
        String backend;
        try {
            backend = Nd4j.getBackend().getClass().getSimpleName();
        } catch (Throwable t) {
            backend = "unavailable: " + t.getMessage();
        }
        p.put("nd4j_backend", backend);
        p.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        return p;
    }
}
