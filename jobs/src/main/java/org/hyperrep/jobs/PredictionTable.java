package org.hyperrep.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hyperrep.store.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code hyperrep predict} prints: one row per model (input, model id, epoch) and, per target, the prediction
 * of one feature set's probe, its 90% split-conformal interval (regression) and the true value when the input
 * carries it; as an aligned text table, CSV or JSON.
 */
final class PredictionTable {
    /** One target's prediction for one model: a number (regression) or a class label. */
    record Cell(Object predicted, Double lower, Double upper, String truth) {
    }

    private final String featureSet;
    private final Map<String, Map<String, Cell>> rows = new TreeMap<>();     // key -> target -> cell
    private final Map<String, String[]> ids = new LinkedHashMap<>();         // key -> input, model id, epoch
    private final Set<String> targets = new LinkedHashSet<>();

    PredictionTable(String featureSet) { this.featureSet = featureSet; }

    void add(String input, String modelId, Integer epoch, String target, Object predicted, Double lower, Double upper,
             String truth) {
        String key = input + '\u0000' + modelId + '\u0000' + (epoch == null ? "" : String.format("%09d", epoch));
        ids.put(key, new String[] {input, modelId, epoch == null ? "" : String.valueOf(epoch)});
        targets.add(target);
        rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(target, new Cell(predicted, lower, upper, truth));
    }

    List<String> targets() { return new ArrayList<>(targets); }

    private boolean anyTruth(String target) {
        return rows.values().stream().anyMatch(r -> r.containsKey(target) && r.get(target).truth() != null);
    }

    private boolean anyInterval(String target) {
        return rows.values().stream().anyMatch(r -> r.containsKey(target) && r.get(target).lower() != null);
    }

    String asText() {
        List<String> header = new ArrayList<>(List.of("model", "epoch"));
        for (String t : targets) {
            header.add(anyInterval(t) ? t + " [90% interval]" : t);
            if (anyTruth(t)) header.add("true");
        }
        List<List<String>> lines = new ArrayList<>();
        for (Map.Entry<String, Map<String, Cell>> e : rows.entrySet()) {
            String[] id = ids.get(e.getKey());
            List<String> line = new ArrayList<>(List.of(id[0].equals(id[1]) || id[1].equals(last(id[0]))
                    ? id[0] : id[0] + " (" + id[1] + ")", id[2]));
            for (String t : targets) {
                Cell c = e.getValue().get(t);
                line.add(c == null ? "" : shown(c));
                if (anyTruth(t)) line.add(c == null || c.truth() == null ? "" : number(c.truth()));
            }
            lines.add(line);
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> l : lines) width[i] = Math.max(width[i], l.get(i).length());
        }
        StringBuilder s = new StringBuilder("predictions of the " + featureSet + " probes\n");
        appendRow(s, header, width);
        for (List<String> l : lines) appendRow(s, l, width);
        return s.toString();
    }

    String asCsv() {
        List<String> header = new ArrayList<>(List.of("input", "model_id", "epoch", "feature_set"));
        for (String t : targets) header.addAll(List.of(t, t + "_lower", t + "_upper", t + "_true"));
        StringBuilder s = new StringBuilder(String.join(",", header)).append('\n');
        for (Map.Entry<String, Map<String, Cell>> e : rows.entrySet()) {
            String[] id = ids.get(e.getKey());
            List<String> line = new ArrayList<>(List.of(csv(id[0]), csv(id[1]), id[2], csv(featureSet)));
            for (String t : targets) {
                Cell c = e.getValue().get(t);
                line.add(c == null ? "" : csv(String.valueOf(c.predicted())));
                line.add(c == null || c.lower() == null ? "" : String.valueOf(c.lower()));
                line.add(c == null || c.upper() == null ? "" : String.valueOf(c.upper()));
                line.add(c == null || c.truth() == null ? "" : csv(c.truth()));
            }
            s.append(String.join(",", line)).append('\n');
        }
        return s.toString();
    }

    String asJson() {
        ArrayNode all = Json.MAPPER.createArrayNode();
        for (Map.Entry<String, Map<String, Cell>> e : rows.entrySet()) {
            String[] id = ids.get(e.getKey());
            ObjectNode o = all.addObject().put("input", id[0]).put("model_id", id[1]);
            if (id[2].isEmpty()) o.putNull("epoch"); else o.put("epoch", Integer.parseInt(id[2]));
            o.put("feature_set", featureSet);
            ObjectNode p = o.putObject("predictions");
            e.getValue().forEach((t, c) -> {
                ObjectNode n = p.putObject(t);
                if (c.predicted() instanceof Double d) n.put("predicted", d); else n.put("predicted", String.valueOf(c.predicted()));
                if (c.lower() != null) n.put("lower", c.lower()).put("upper", c.upper()).put("level", 0.9);
                if (c.truth() != null) n.put("true", c.truth());
            });
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String shown(Cell c) {
        if (!(c.predicted() instanceof Double d)) return String.valueOf(c.predicted());
        String v = String.format(Locale.ROOT, "%.4g", d);
        if (c.lower() == null) return v;
        if (Double.isInfinite(c.lower())) return v + " [unbounded]";
        return String.format(Locale.ROOT, "%s [%.4g, %.4g]", v, c.lower(), c.upper());
    }

    private static String number(String text) {
        try {
            return String.format(Locale.ROOT, "%.4g", Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static String last(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    private static void appendRow(StringBuilder s, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", cells.get(i)));
        }
        s.append(line.toString().stripTrailing()).append('\n');
    }
}
