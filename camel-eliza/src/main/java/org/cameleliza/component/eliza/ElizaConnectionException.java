package org.cameleliza.component.eliza;

/**
 * The component is not connected to the Eliza server, could not connect within the connect timeout, or lost the
 * connection before the server acknowledged a message.
 */
public class ElizaConnectionException extends ElizaException {

    private static final long serialVersionUID = 1L;

    public ElizaConnectionException(String message) {
        super(message);
    }

    public ElizaConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
