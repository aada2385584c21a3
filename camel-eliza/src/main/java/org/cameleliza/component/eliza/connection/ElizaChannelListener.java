package org.cameleliza.component.eliza.connection;

import java.util.Map;

/**
 * Receives the server events of one channel. Every method is called on the connection's own thread (see
 * docs/development.md, Threading): it must not block, and hands routing to a thread of its own.
 */
public interface ElizaChannelListener {

    void onEvent(String event, Map<String, Object> payload);

    /** A server event whose payload could not be read; the connection goes on. */
    void onMalformedEvent(String event, Exception cause);

    /** The server confirmed the join of the channel; {@code rejoin} after a reconnect. */
    default void onJoined(boolean rejoin) {
    }

    /** A join was refused, or not confirmed in time (the connection then joins again while it is up). */
    default void onJoinFailed(Exception cause) {
    }
}
