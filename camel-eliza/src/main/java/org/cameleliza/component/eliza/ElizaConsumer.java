package org.cameleliza.component.eliza;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the endpoint's channel and turns the channel's messages into exchanges, in the order the server sent them.
 * Routing runs on the consumer's own thread, never on the Socket.IO event thread, so a slow route cannot stall the
 * connection's heartbeats.
 */
public class ElizaConsumer extends DefaultConsumer implements ElizaConnection.ChannelListener {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaConsumer.class);

    private ElizaConnection connection;
    private ExecutorService executor;

    public ElizaConsumer(ElizaEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public ElizaEndpoint getEndpoint() {
        return (ElizaEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ElizaEndpoint endpoint = getEndpoint();
        executor = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "ElizaConsumer[" + endpoint.getChannel() + "]");
        connection = endpoint.acquireConnection();
        long timeout = endpoint.getConfiguration().getConnectTimeout();
        CompletableFuture<Void> joined = connection.subscribe(endpoint.getChannelId(), endpoint.joinPayload(), this);
        // each step fails on its own with the reason: refused, unreachable, or no join confirmation
        CompletableFuture<Void> ready = connection.awaitConnected(timeout)
                .thenCompose(v -> joined.copy().orTimeout(timeout, TimeUnit.MILLISECONDS))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        unwrap(e) instanceof TimeoutException ? notJoined(timeout) : unwrap(e)));
        try {
            ready.get();
        } catch (ExecutionException e) {
            stopListening();
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private ElizaConnectionException notJoined(long timeout) {
        return new ElizaConnectionException("The Eliza server at " + getEndpoint().getConfiguration().getUrl()
                                            + " did not confirm joining channel " + getEndpoint().getChannelId()
                                            + " within " + timeout + " ms");
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    protected void doStop() throws Exception {
        stopListening();
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }

    private void stopListening() {
        if (connection != null) {
            connection.unsubscribe(getEndpoint().getChannelId(), this);
            getEndpoint().releaseConnection(connection);
            connection = null;
        }
    }

    @Override
    public void onEvent(String event, Map<String, Object> payload) {
        try {
            executor.execute(() -> deliver(event, payload));
        } catch (RejectedExecutionException | NullPointerException e) {
            // stopping: the connection is released right after
            LOG.debug("Consumer stopping, not delivering {} event", event);
        }
    }

    @Override
    public void onMalformedEvent(String event, Exception cause) {
        getExceptionHandler().handleException("Malformed " + event + " event from the Eliza server", cause);
    }

    private void deliver(String event, Map<String, Object> payload) {
        Exchange exchange = createExchange(false);
        try {
            populate(exchange.getMessage(), event, payload);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing Eliza message", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    static void populate(Message message, String event, Map<String, Object> payload) {
        message.setBody(ElizaProtocol.string(payload, "text"));
        message.setHeader(ElizaConstants.EVENT, event);
        message.setHeader(ElizaConstants.MESSAGE_ID, ElizaProtocol.string(payload, "id"));
        message.setHeader(ElizaConstants.CHANNEL_ID, ElizaProtocol.channelOf(payload));
        message.setHeader(ElizaConstants.SENDER_ID, ElizaProtocol.string(payload, "senderId"));
        message.setHeader(ElizaConstants.SENDER_NAME, ElizaProtocol.string(payload, "senderName"));
        Object createdAt = payload.get("createdAt");
        if (createdAt instanceof Number) {
            message.setHeader(ElizaConstants.CREATED_AT, ((Number) createdAt).longValue());
        }
        message.setHeader(ElizaConstants.SOURCE, ElizaProtocol.string(payload, "source"));
        message.setHeader(ElizaConstants.THOUGHT, ElizaProtocol.string(payload, "thought"));
        Object actions = payload.get("actions");
        if (actions instanceof List) {
            message.setHeader(ElizaConstants.ACTIONS, ((List<?>) actions).stream().map(String::valueOf).toList());
        }
        String messageServerId = ElizaProtocol.string(payload, "messageServerId");
        message.setHeader(ElizaConstants.MESSAGE_SERVER_ID,
                messageServerId != null ? messageServerId : ElizaProtocol.string(payload, "serverId"));
    }
}
