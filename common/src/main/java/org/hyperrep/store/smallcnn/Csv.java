package org.hyperrep.store.smallcnn;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV dialect pandas writes ({@code DataFrame.to_csv}): comma-separated, a field holding a comma, quote or
 * line break is quoted with {@code "} and inner quotes doubled. Records never span lines in the Small CNN Zoo
 * files, so a line is a record.
 */
final class Csv {
    private Csv() {}

    /** The fields of one line; {@code null} when a quote is left open. */
    static List<String> parse(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        if (quoted) return null;
        fields.add(f.toString());
        return fields;
    }

    static String format(List<String> fields) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) s.append(',');
            String v = fields.get(i);
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                s.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                s.append(v);
            }
        }
        return s.toString();
    }
}
