package org.hyperrep.jobs;

import org.hyperrep.config.BadInputException;
import org.hyperrep.store.CodeVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hyperrep <command>}: the command line of every hyperrep job. */
@Command(name = "hyperrep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Hyper-representations of model zoos: build zoos, learn weight embeddings, predict model "
                + "characteristics.",
        subcommands = {ZooCommand.class, TrainJob.class, EmbedJob.class, ProbeJob.class, PredictJob.class, RunJob.class,
                SweepJob.class, StudyJob.class,
                DemoJob.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Full stack traces of refused input, to the log file only (conf/log4j2.properties). */
    private static final org.slf4j.Logger ERRORS = org.slf4j.LoggerFactory.getLogger("hyperrep.errors");

    /** Exit code for input hyperrep refuses (config, data file, output location). */
    static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs a command with its usage/help output on {@code out} and error messages on {@code err}. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable t = rootBadInput(ex);
            if (t != null) {
                cmd.getErr().println("hyperrep: " + t.getMessage());
                return BAD_INPUT;
            }
            String unreadable = UnreadableFile.describe(ex);
            if (unreadable != null) {
                ERRORS.error(unreadable, ex);
                cmd.getErr().println("hyperrep: " + unreadable + " (stack trace: " + UnreadableFile.logFile() + ")");
                return BAD_INPUT;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** A BadInputException anywhere in the cause chain (Spark wraps executor failures). */
    private static Throwable rootBadInput(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof BadInputException) return t;
        }
        return null;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"hyperrep " + CodeVersion.describe()};
        }
    }
}
