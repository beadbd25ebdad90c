package org.hyperrep.jobs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes a failure to read a damaged data file (checksum mismatch, a truncated or overwritten Parquet file,
 * undecodable Parquet pages) anywhere in an exception's cause chain, Spark's task failures included, and words it
 * as one line that names the file and the remedy.
 */
final class UnreadableFile {
    private static final Pattern PATH = Pattern.compile("((?:file|hdfs|s3a?|gs|abfss?|wasbs?|viewfs):/*[^\\s,;]+)");
    private static final Pattern IN_ZOO = Pattern.compile("^(.*)/checkpoints/batch-[^/]+/[^/]+$");

    private UnreadableFile() {}

    /** One line naming the damaged file and what to do, or null when {@code ex} is not about a damaged file. */
    static String describe(Throwable ex) {
        String reason = null, file = null;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            String r = reason(t, m);
            if (r != null && reason == null) reason = r;
            if (file == null && (r != null || m.contains("while reading file"))) {
                Matcher p = PATH.matcher(m);
                if (p.find()) file = p.group(1).replaceAll("[.:]+$", "");
            }
        }
        if (reason == null || file == null) return null;
        Matcher zoo = IN_ZOO.matcher(file);
        String remedy = zoo.matches()
                ? "hyperrep zoo verify " + zoo.group(1) + " --repair moves its batch to quarantine/ and the next zoo "
                        + "build retrains its models"
                : "restore it, or delete it and rerun the command that wrote it";
        return "cannot read " + file + ": " + reason + "; " + remedy;
    }

    private static String reason(Throwable t, String message) {
        if (t instanceof org.apache.hadoop.fs.ChecksumException) return "checksum mismatch, the file is corrupt";
        if (message.contains("is not a Parquet file")) return "not a whole Parquet file (truncated or overwritten)";
        if (t.getClass().getName().equals("org.apache.parquet.io.ParquetDecodingException")
                || message.contains("Could not read footer")) {
            return "corrupt Parquet data";
        }
        return null;
    }

    /** Where conf/log4j2.properties writes full stack traces. */
    static String logFile() {
        return System.getProperty("hyperrep.log", System.getProperty("java.io.tmpdir") + "/hyperrep.log");
    }
}
