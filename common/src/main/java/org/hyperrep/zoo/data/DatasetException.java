package org.hyperrep.zoo.data;

/**
 * A data set could not be read: a file is missing, corrupt or not what its name says. The message always names
 * the file (or the configuration value) and what is wrong with it, because the person reading it is usually
 * looking at a failed cluster job and has nothing else to go on.
 */
public class DatasetException extends org.hyperrep.config.BadInputException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
