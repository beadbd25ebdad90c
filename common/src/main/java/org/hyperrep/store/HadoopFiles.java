package org.hyperrep.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Small file operations on Hadoop URIs (local paths, hdfs://, s3a://): read and write whole text files, and the
 * atomic replace (write a temporary file, rename over the target) that every manifest and record uses.
 */
public final class HadoopFiles {
    private HadoopFiles() {}

    public static Configuration conf() { return new Configuration(); }

    public static FileSystem fs(Path p) {
        try {
            return p.getFileSystem(conf());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + p, e);
        }
    }

    public static boolean exists(Path p) {
        try {
            return fs(p).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + p, e);
        }
    }

    public static String readText(Path p) {
        try (InputStream in = fs(p).open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** Writes the text to a temporary sibling, then renames it over {@code p}: readers see old or new, never half. */
    public static void writeTextAtomically(Path p, String text) {
        Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp-" + System.nanoTime());
        try {
            FileSystem fs = fs(p);
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.hsync();
            }
            FileContext.getFileContext(p.toUri(), conf()).rename(tmp, p, Options.Rename.OVERWRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }
}
