package org.cameleliza.component.eliza;

/**
 * The Eliza server refused the connection handshake, for example with "Invalid or missing API Key" or "Valid entityId
 * required". Retrying with the same credentials cannot succeed.
 */
public class ElizaAuthenticationException extends ElizaException {

    private static final long serialVersionUID = 1L;

    public ElizaAuthenticationException(String message) {
        super(message);
    }

    public ElizaAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
