package org.hyperrep.zoo.arch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The zoo architectures by name (docs/zoos.md): {@code tetris-mlp}, {@code cnn-s}, {@code cnn-s3},
 * {@code cnn-unterthiner}. Instances are immutable and shared.
 */
public final class Architectures {
    private static final Map<String, Architecture> BY_NAME = new LinkedHashMap<>();

    static {
        register(new TetrisMlp());
        register(new SmallCnn("cnn-s", 1));
        register(new SmallCnn("cnn-s3", 3));
        register(new UnterthinerCnn());
    }

    private Architectures() { }

    private static void register(Architecture a) { BY_NAME.put(a.name(), a); }

    /** The architecture of that name; unknown names fail with the list of known ones. */
    public static Architecture byName(String name) {
        Architecture a = BY_NAME.get(name);
        if (a == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; known: " + names());
        }
        return a;
    }

    /** Known names, in the order of the paper's table (docs/zoos.md) (tetris first). */
    public static List<String> names() { return List.copyOf(BY_NAME.keySet()); }
}
