package org.hyperrep.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.Path;
import org.hyperrep.config.BadInputException;
import org.hyperrep.encoder.EncoderStore;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the per-epoch loss curve from an encoder's {@code encoder.json} ({@link EncoderStore#RECORD}): its
 * {@code history} is the trainer's list of {@code EncoderTrainer.EpochRecord}, each with {@code train} and
 * {@code validation} {@code LossMonitor.Losses} ({@code total}, {@code reconstruction_r2}, ...).
 */
public final class EncoderLosses {
    private EncoderLosses() {}

    /** The loss curve of the encoder at {@code encoderUri} (a Hadoop URI), in epoch order. */
    public static List<EpochLosses> read(String encoderUri) {
        Path record = new EncoderStore(encoderUri).recordPath();
        if (!HadoopFiles.exists(record)) {
            throw new BadInputException("no encoder record at " + record);
        }
        try {
            return parse(Json.MAPPER.readTree(HadoopFiles.readText(record)));
        } catch (JsonProcessingException e) {
            throw new BadInputException(record + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The loss curve from an encoder record's JSON tree; an absent history gives an empty list. */
    public static List<EpochLosses> parse(JsonNode encoderRecord) {
        List<EpochLosses> out = new ArrayList<>();
        for (JsonNode e : encoderRecord.path("history")) {
            JsonNode tr = e.path("train"), va = e.path("validation");
            out.add(new EpochLosses(e.path("epoch").asInt(), number(tr.path("total")), number(va.path("total")),
                    number(tr.path("reconstruction_r2")), number(va.path("reconstruction_r2"))));
        }
        out.sort((a, b) -> Integer.compare(a.epoch(), b.epoch()));
        return out;
    }

    // Jackson writes non-finite doubles as the strings "NaN", "Infinity", "-Infinity"; absent or null is NaN too.
    private static double number(JsonNode n) {
        if (n.isNumber()) return n.doubleValue();
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.textValue());
            } catch (NumberFormatException ignored) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
