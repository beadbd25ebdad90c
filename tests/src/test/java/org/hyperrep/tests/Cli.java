package org.hyperrep.tests;

import org.hyperrep.jobs.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs hyperrep commands in this JVM or in a separate one, as a user would, and keeps what they print. */
final class Cli {
    /** Exit code and error output of one in-process run. */
    record Run(int exitCode, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(System.out, true), new PrintWriter(err, true), args);
        System.err.print(err);
        return new Run(code, err.toString());
    }

    /** Standard output and error of one successful in-process run (commands that print through picocli's writer). */
    record Printed(String out, String err) {
    }

    static Printed okPrinting(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        System.out.print(out);
        System.err.print(err);
        if (code != 0) throw new AssertionError("hyperrep " + String.join(" ", args) + " failed: " + err);
        return new Printed(out.toString(), err.toString());
    }

    static Run ok(String... args) {
        Run r = run(args);
        if (r.exitCode() != 0) throw new AssertionError("hyperrep " + String.join(" ", args) + " failed: " + r.err());
        return r;
    }

    /** Starts hyperrep in a new JVM (same classpath and flags as the tests), output appended to {@code log}. */
    static Process start(java.io.File log, String... args) throws java.io.IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(List.of(System.getProperty("hyperrep.jvm.opens", "").split(" ")));
        cmd.removeIf(String::isBlank);
        cmd.add("-Xmx2g");
        cmd.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    static void killHard(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no cleanup
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("process did not die");
    }

    private Cli() {}
}
