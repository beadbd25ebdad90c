package org.hyperrep.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of hyperrep that is running: Maven version and git commit, written into the jar at build time
 * ({@code hyperrep-build.properties}), so that every artifact can say which code made it.
 */
public final class CodeVersion {
    private static final Properties PROPS = load();

    private CodeVersion() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("/hyperrep-build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // an unreadable resource leaves "unknown" below, which the record then shows
        }
        return p;
    }

    public static String version() { return clean(PROPS.getProperty("version")); }

    public static String gitCommit() { return clean(PROPS.getProperty("git.commit")); }

    public static boolean gitDirty() { return "true".equals(PROPS.getProperty("git.dirty")); }

    /** e.g. {@code 0.1.0-SNAPSHOT+3f2a9c1} or {@code 0.1.0-SNAPSHOT+3f2a9c1.dirty}. */
    public static String describe() {
        String c = gitCommit();
        return version() + "+" + (c.length() > 12 ? c.substring(0, 12) : c) + (gitDirty() ? ".dirty" : "");
    }

    private static String clean(String s) {
        return s == null || s.isBlank() || s.startsWith("${") ? "unknown" : s;
    }
}
