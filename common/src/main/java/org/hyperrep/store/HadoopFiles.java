package org.hyperrep.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
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

    /**
     * The file system of a path. Local paths get the raw local file system: the checksummed one keeps a separate
     * .crc file beside each file, and a crash between renaming the two leaves a file that can no longer be read.
     */
    public static FileSystem fs(Path p) {
        try {
            FileSystem fs = p.getFileSystem(conf());
            return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
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
        return new String(readBytes(p), StandardCharsets.UTF_8);
    }

    /** The whole file (e.g. a saved model to broadcast). */
    public static byte[] readBytes(Path p) {
        try (InputStream in = fs(p).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
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
            replace(tmp, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    /** Renames {@code from} over {@code to} atomically (POSIX rename locally, HDFS's overwriting rename elsewhere). */
    public static void replace(Path from, Path to) throws IOException {
        FileSystem fs = fs(to);
        if (fs instanceof RawLocalFileSystem raw) {
            java.nio.file.Files.move(raw.pathToFile(from).toPath(),
                    raw.pathToFile(to).toPath(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            FileContext.getFileContext(to.toUri(), conf()).rename(from, to, Options.Rename.OVERWRITE);
        }
    }
}
