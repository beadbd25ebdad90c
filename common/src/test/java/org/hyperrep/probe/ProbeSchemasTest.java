package org.hyperrep.probe;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.types.DataType;
import org.hyperrep.store.Json;
import org.junit.jupiter.api.Test;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The probe schemas in data-schemas/ are the ones the code writes. */
class ProbeSchemasTest {
    private static DataType schemaIn(String file) throws Exception {
        JsonNode doc = Json.MAPPER.readTree(new File("../data-schemas/" + file));
        return DataType.fromJson(doc.get("spark_schema").toString());
    }

    @Test
    void resultsSchemaFileMatchesTheCode() throws Exception {
        assertEquals(ProbeResults.SCHEMA, schemaIn("probe-results.schema.json"),
                "code has:\n" + ProbeResults.SCHEMA.prettyJson());
    }

    @Test
    void predictionsSchemaFileMatchesTheCode() throws Exception {
        assertEquals(ProbeSuite.PREDICTIONS_SCHEMA, schemaIn("probe-predictions.schema.json"),
                "code has:\n" + ProbeSuite.PREDICTIONS_SCHEMA.prettyJson());
    }
}
