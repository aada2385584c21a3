package org.cameleliza.component.eliza;

/**
 * What the body of a received message (consumer) or of an agent's reply (request-reply producer) holds.
 */
public enum ElizaBodyType {
    /** The message text ({@code text}; for stream chunks the chunk, for error events the error). */
    text,
    /** The whole event payload as a {@code java.util.Map}. */
    map,
    /** The whole event payload as a JSON string. */
    json
}
