package org.hyperrep.zoo.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * File access shared by the readers: every path goes through Hadoop's {@link FileSystem}, so the same code reads a
 * local file, {@code file:///…}, {@code hdfs://…} or any other scheme the cluster has a file system for.
 */
final class DataFiles {
    private static final int BUFFER = 1 << 16;
    /**
     * One default configuration (core-site.xml from the class path, if any): building one parses XML, and a data
     * set load asks for a file system a dozen times.
     */
    private static final Configuration CONF = new Configuration();

    private DataFiles() {
    }

    static Path path(String location) {
        if (location == null || location.isBlank()) {
            throw new DatasetException("empty file path");
        }
        return new Path(location);
    }

    /** {@code dir/name}, keeping the scheme of {@code dir}. */
    static String join(String dir, String name) {
        return new Path(path(dir), name).toString();
    }

    static FileSystem fileSystem(Path p) {
        try {
            return p.getFileSystem(CONF);
        } catch (IOException e) {
            throw new DatasetException("no file system for " + p + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code location} is an existing regular file. */
    static boolean isFile(String location) {
        Path p = path(location);
        try {
            return fileSystem(p).getFileStatus(p).isFile();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new DatasetException("cannot look up " + location + ": " + e.getMessage(), e);
        }
    }

    /** The length in bytes of an existing regular file; a clear error otherwise. */
    static long size(String location) {
        return status(location).getLen();
    }

    private static FileStatus status(String location) {
        Path p = path(location);
        FileStatus st;
        try {
            st = fileSystem(p).getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new DatasetException(location + ": file not found", e);
        } catch (IOException e) {
            throw new DatasetException("cannot look up " + location + ": " + e.getMessage(), e);
        }
        if (!st.isFile()) {
            throw new DatasetException(location + ": is a directory, expected a file");
        }
        return st;
    }

    /** Opens the file as written, without decompressing. */
    static InputStream openRaw(String location) {
        status(location);
        Path p = path(location);
        try {
            return new BufferedInputStream(fileSystem(p).open(p), BUFFER);
        } catch (IOException e) {
            throw new DatasetException("cannot open " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the file, decompressing it if it starts with the gzip magic bytes. The content decides, not the name:
     * data sets are often re-hosted with {@code .gz} files already unpacked or unpacked files renamed.
     */
    static InputStream open(String location) {
        InputStream in = openRaw(location);
        try {
            if (isGzip(in)) {
                return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
            }
            return in;
        } catch (IOException e) {
            closeQuietly(in);
            throw new DatasetException(location + ": corrupt gzip header: " + e.getMessage(), e);
        }
    }

    /** Peeks at the first two bytes of a mark-supporting stream. */
    static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /**
     * Reads up to {@code len} bytes, stopping only at the end of the stream, and returns how many were read, so a
     * caller can say how short a truncated file is.
     */
    static int readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int r = in.read(buf, off + done, len - done);
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Already failing with a more useful message.
        }
    }
}
