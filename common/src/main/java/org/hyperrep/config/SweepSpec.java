package org.hyperrep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells of an ablation sweep ({@code sweep} section): each cell is the base config plus a few {@code --set}
 * overrides. {@code one-at-a-time} gives the base cell and one cell per value of each axis, changed alone (the
 * paper's ablations); {@code grid} gives every combination of the axes' values.
 *
 * @param mode  {@code one-at-a-time} or {@code grid}
 * @param cells in order: the base first (one-at-a-time), then axis by axis, value by value
 */
public record SweepSpec(String mode, List<Cell> cells) {
    /** A cell's name (also its directory) and the overrides that make it. */
    public record Cell(String name, List<String> overrides) {
    }

    public static SweepSpec from(Config c) {
        String mode = c.getString("sweep.mode");
        Map<String, List<String>> axes = new LinkedHashMap<>();
        Config defaults = ConfigFiles.defaults();
        // HOCON objects are unordered: axes in the order of their lines in the file, then by name
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(c.getConfig("sweep.axes").root().entrySet());
        entries.sort(java.util.Comparator.<Map.Entry<String, ConfigValue>>comparingInt(e -> e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey));
        for (Map.Entry<String, ConfigValue> e : entries) {
            String key = e.getKey();
            if (!defaults.hasPathOrNull(key)) {
                throw new BadInputException("sweep axis '" + key + "' is not a config key");
            }
            if (e.getValue().valueType() != ConfigValueType.LIST || ((List<?>) e.getValue().unwrapped()).isEmpty()) {
                throw new BadInputException("sweep axis '" + key + "' needs a non-empty list of values");
            }
            List<String> values = new ArrayList<>();
            for (ConfigValue v : (ConfigList) e.getValue()) {
                values.add(v.render(ConfigRenderOptions.concise()));
            }
            axes.put(key, values);
        }
        List<Cell> cells = new ArrayList<>();
        switch (mode) {
            case "one-at-a-time" -> {
                cells.add(new Cell("base", List.of()));
                axes.forEach((key, values) -> values.forEach(v ->
                        cells.add(new Cell(name(List.of(key + "=" + v)), List.of(key + "=" + v)))));
            }
            case "grid" -> {
                List<List<String>> combos = new ArrayList<>(List.of(List.of()));
                axes.forEach((key, values) -> {
                    List<List<String>> next = new ArrayList<>();
                    for (List<String> combo : combos) {
                        for (String v : values) {
                            List<String> more = new ArrayList<>(combo);
                            more.add(key + "=" + v);
                            next.add(more);
                        }
                    }
                    combos.clear();
                    combos.addAll(next);
                });
                combos.forEach(o -> cells.add(new Cell(o.isEmpty() ? "base" : name(o), o)));
            }
            default -> throw new BadInputException("sweep.mode must be one-at-a-time or grid, not '" + mode + "'");
        }
        return new SweepSpec(mode, cells);
    }

    /** "encoder.gamma=0" → "gamma=0": the last key segment is enough to tell cells apart in a table. */
    private static String name(List<String> overrides) {
        List<String> parts = new ArrayList<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            String key = o.substring(0, eq);
            parts.add(key.substring(key.lastIndexOf('.') + 1) + "=" + o.substring(eq + 1).replace("\"", ""));
        }
        return String.join(",", parts).replaceAll("[^A-Za-z0-9._=,+-]", "_");
    }
}
