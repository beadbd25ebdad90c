package org.hyperrep.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.types.DataType;
import org.hyperrep.config.DatasetSpec;
import org.hyperrep.config.SplitSpec;
import org.hyperrep.config.TrainingSpec;
import org.hyperrep.weights.WeightLayout;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The schemas in data-schemas/ are the ones the code writes. */
class DataSchemasTest {
    private static JsonNode read(String name) throws Exception {
        return Json.MAPPER.readTree(new File("../data-schemas/" + name));
    }

    @Test
    void checkpointSchemaFileMatchesTheCode() throws Exception {
        JsonNode doc = read("checkpoints.schema.json");
        assertEquals(CheckpointSchema.NAME, doc.get("name").asText());
        assertEquals(CheckpointSchema.VERSION, doc.get("version").asInt());
        assertEquals(CheckpointSchema.SCHEMA, DataType.fromJson(doc.get("spark_schema").toString()),
                "data-schemas/checkpoints.schema.json differs from CheckpointSchema; code has:\n"
                        + CheckpointSchema.SCHEMA.prettyJson());
    }

    @Test
    void embeddingsSchemaFileMatchesTheCode() throws Exception {
        JsonNode doc = read("embeddings.schema.json");
        assertEquals(org.hyperrep.encoder.Embedder.VERSION, doc.get("version").asInt());
        assertEquals(org.hyperrep.encoder.Embedder.SCHEMA, DataType.fromJson(doc.get("spark_schema").toString()));
    }

    @Test
    void manifestSchemaFileListsExactlyTheManifestFields() throws Exception {
        JsonNode doc = read("zoo-manifest.schema.json");
        assertEquals(ZooManifest.FORMAT_VERSION, doc.get("version").asInt());
        ZooManifest m = new ZooManifest(ZooManifest.FORMAT, ZooManifest.FORMAT_VERSION, CheckpointSchema.VERSION,
                "z", "tetris-mlp", new DatasetSpec("tetris", "", 1, 0, 1, 10, 0.1),
                new TrainingSpec(1, List.of(0, 1), 8, 0), new SplitSpec(0.7, 0.15, 0.15, 1),
                WeightLayout.builder("tetris-mlp").dense("dense1", 16, 5, false).build(), Map.of(), 0, 0, List.of());
        JsonNode written = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(m));
        List<String> keys = new ArrayList<>();
        written.fieldNames().forEachRemaining(keys::add);
        List<String> required = new ArrayList<>();
        doc.get("required").forEach(n -> required.add(n.asText()));
        assertEquals(required, keys);
        for (String nested : List.of("dataset", "training", "split")) {
            List<String> want = new ArrayList<>();
            doc.get("properties").get(nested).fieldNames().forEachRemaining(want::add);
            List<String> have = new ArrayList<>();
            Iterator<String> it = written.get(nested).fieldNames();
            it.forEachRemaining(have::add);
            assertEquals(want, have, nested);
        }
        // and it reads back
        assertEquals(m, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(m), ZooManifest.class));
    }
}
