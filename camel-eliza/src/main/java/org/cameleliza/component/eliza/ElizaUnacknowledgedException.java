package org.cameleliza.component.eliza;

/**
 * A message was sent, but the connection dropped before the server acknowledged it: the server may or may not have
 * stored it. When Camel redelivers the exchange, the producer first asks the server whether it stored the message (by
 * its client message id) and sends it again only when it did not.
 */
public class ElizaUnacknowledgedException extends ElizaConnectionException {

    private static final long serialVersionUID = 1L;

    public ElizaUnacknowledgedException(String message) {
        super(message);
    }
}
