package org.cameleliza.component.eliza;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the endpoint's channel and turns the channel's events into exchanges, one at a time and in the order the
 * server sent them. The Socket.IO event thread only filters and queues; routing runs on the consumer's own thread
 * through Camel's asynchronous routing engine, so a slow route can neither stall the connection's heartbeats nor
 * reorder messages.
 */
public class ElizaConsumer extends DefaultConsumer implements ElizaConnection.ChannelListener, ShutdownAware {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaConsumer.class);

    private final Set<String> events;
    private final Queue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean routing = new AtomicBoolean();
    private Set<String> recentIds;
    private ElizaConnection connection;
    private ExecutorService executor;

    public ElizaConsumer(ElizaEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.events = ElizaEvents.parse(endpoint.getConfiguration().getEvents());
    }

    @Override
    public ElizaEndpoint getEndpoint() {
        return (ElizaEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ElizaEndpoint endpoint = getEndpoint();
        int cacheSize = endpoint.getConfiguration().getDuplicateCacheSize();
        recentIds = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > cacheSize;
            }
        });
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
        if (!queue.isEmpty()) {
            LOG.warn("Eliza consumer of channel {} stopped with {} received messages not routed",
                    getEndpoint().getChannelId(), queue.size());
            queue.clear();
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

    // --- event thread: filter and queue only

    @Override
    public void onEvent(String event, Map<String, Object> payload) {
        if (!events.contains(event) || !accept(event, payload)) {
            return;
        }
        queue.add(new Event(event, payload));
        scheduleRouting();
    }

    private boolean accept(String event, Map<String, Object> payload) {
        ElizaEndpoint endpoint = getEndpoint();
        ElizaConfiguration config = endpoint.getConfiguration();
        if (ElizaEvents.hasSender(event)) {
            String sender = ElizaProtocol.string(payload, payload.containsKey("senderId") ? "senderId" : "agentId");
            if (!config.isIncludeOwnMessages() && endpoint.getEntityId().equalsIgnoreCase(sender)) {
                return false;
            }
            if (config.isAgentMessagesOnly() && !config.getAgentId().equalsIgnoreCase(sender)) {
                return false;
            }
        }
        if (ElizaEvents.MESSAGE_BROADCAST.equals(event)) {
            String id = ElizaProtocol.string(payload, "id");
            synchronized (recentIds) {
                if (id != null && !recentIds.add(id)) {
                    LOG.debug("Not delivering message {} again", id);
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void onMalformedEvent(String event, Exception cause) {
        if (events.contains(event)) {
            getExceptionHandler().handleException("Malformed " + event + " event from the Eliza server", cause);
        }
    }

    // --- routing: one exchange at a time, in order

    private void scheduleRouting() {
        if (routing.compareAndSet(false, true)) {
            try {
                executor.execute(this::routeNext);
            } catch (RejectedExecutionException | NullPointerException e) {
                routing.set(false);
                LOG.debug("Eliza consumer is stopping: {} events not routed", queue.size());
            }
        }
    }

    private void routeNext() {
        Event next = queue.poll();
        if (next == null) {
            routing.set(false);
            if (!queue.isEmpty()) {
                scheduleRouting();
            }
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            ElizaMessageMapper.toMessage(exchange.getMessage(), next.name, next.payload,
                    getEndpoint().getConfiguration().getBodyType());
        } catch (RuntimeException e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            done(exchange);
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> done(exchange));
    }

    private void done(Exchange exchange) {
        try {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing Eliza message", exchange, exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
            routing.set(false);
            if (!queue.isEmpty()) {
                scheduleRouting();
            }
        }
    }

    // --- graceful shutdown: queued events count as pending exchanges

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        return false;
    }

    @Override
    public int getPendingExchangesSize() {
        return queue.size();
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        // nothing to prepare: doStop stops listening first, then lets the queue drain
    }

    private record Event(String name, Map<String, Object> payload) {
    }
}
