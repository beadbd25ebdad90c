package org.hyperrep.report;

/**
 * Switches AWT to headless mode unless {@code java.awt.headless} was set explicitly. On a cluster node or CI runner
 * with a stale {@code DISPLAY}, AWT would otherwise try to reach an X server as soon as a {@code Color} or an image
 * is created, and fail. AWT reads the property once, when the first such class initialises, so every class of this
 * package that touches AWT calls {@link #ensure()} in a static initialiser placed before its first AWT field.
 */
final class Headless {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Headless() {}

    /** Runs the static initialiser above (once). */
    static void ensure() {}
}
