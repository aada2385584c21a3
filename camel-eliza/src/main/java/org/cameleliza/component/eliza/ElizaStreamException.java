package org.cameleliza.component.eliza;

import org.apache.camel.RuntimeCamelException;

/**
 * A streamed answer ended before it was complete: the agent's model failed, the server stopped, or no chunk came
 * within the reply timeout. Thrown by the {@link ElizaAnswerStream} a route iterates (unchecked, as an iterator's
 * errors are), with what had arrived until then, so that nothing the agent wrote is lost silently.
 */
public class ElizaStreamException extends RuntimeCamelException {

    private static final long serialVersionUID = 1L;

    private final String partialText;

    public ElizaStreamException(String message, String partialText, Throwable cause) {
        super(message, cause);
        this.partialText = partialText;
    }

    /** The text that had arrived before the stream failed (the server's own partial text where it sends one). */
    public String getPartialText() {
        return partialText;
    }
}
