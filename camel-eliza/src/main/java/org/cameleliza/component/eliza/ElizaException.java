package org.cameleliza.component.eliza;

/**
 * The base of the errors the Eliza component reports. Its message says what happened and, where it can, what to do.
 */
public class ElizaException extends org.apache.camel.CamelException {

    private static final long serialVersionUID = 1L;

    public ElizaException(String message) {
        super(message);
    }

    public ElizaException(String message, Throwable cause) {
        super(message, cause);
    }
}
