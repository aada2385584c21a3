package org.cameleliza.component.eliza.connection;

import java.util.concurrent.CompletableFuture;

import org.cameleliza.component.eliza.ElizaConnectionException;

/**
 * A listener's subscription to a channel of a connection: the channel is joined on this connection and again after
 * every reconnect, for as long as the subscription is open. Closing it stops the delivery to its listener; the last
 * subscription of a channel closes the channel's delivery altogether.
 */
public final class ElizaSubscription implements AutoCloseable {

    private final ElizaConnection connection;
    private final String channelId;
    private final ElizaChannelListener listener;

    ElizaSubscription(ElizaConnection connection, String channelId, ElizaChannelListener listener) {
        this.connection = connection;
        this.channelId = channelId;
        this.listener = listener;
    }

    String channelId() {
        return channelId;
    }

    ElizaChannelListener listener() {
        return listener;
    }

    /**
     * Completes when the server confirmed the join on the current connection; fails when it refused it, or with an
     * {@link ElizaConnectionException} when it did not confirm it within {@code timeoutMillis}.
     */
    public CompletableFuture<Void> awaitJoined(long timeoutMillis) {
        return connection.awaitJoined(this, timeoutMillis);
    }

    @Override
    public void close() {
        connection.unsubscribe(this);
    }
}
