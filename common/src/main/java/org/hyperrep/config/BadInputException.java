package org.hyperrep.config;

/**
 * Input that hyperrep refuses: a config key or value, a data file, an output location. The message names the
 * file, key or value so that the user can fix it; the CLI turns it into exit code 2 without a stack trace.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) { super(message); }

    public BadInputException(String message, Throwable cause) { super(message, cause); }
}
