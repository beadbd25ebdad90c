package org.hyperrep.store.smallcnn;

import org.hyperrep.config.BadInputException;

/**
 * Files that do not follow the Small CNN Zoo format: the message names the file and, where it applies, the row
 * and column. The CLI turns it into exit code 2 like every {@link BadInputException}.
 */
public class SmallCnnFormatException extends BadInputException {
    public SmallCnnFormatException(String message) { super(message); }

    public SmallCnnFormatException(String message, Throwable cause) { super(message, cause); }
}
