package org.cameleliza.component.eliza;

/**
 * A message cannot be sent as it is (empty text, too large for the server, an invalid id): nothing was sent.
 */
public class ElizaInvalidMessageException extends ElizaException {

    private static final long serialVersionUID = 1L;

    public ElizaInvalidMessageException(String message) {
        super(message);
    }

    public ElizaInvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
