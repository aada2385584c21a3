package org.cameleliza.component.eliza;

/**
 * The Eliza server answered a message or a channel join with a messageError.
 */
public class ElizaMessageRejectedException extends ElizaException {

    private static final long serialVersionUID = 1L;

    public ElizaMessageRejectedException(String message) {
        super(message);
    }

    public ElizaMessageRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
