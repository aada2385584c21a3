package org.cameleliza.component.eliza;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.socket.thread.EventThread;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
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
    private volatile ElizaConnection connection;
    private ExecutorService executor;
    private HealthCheckRepository healthCheckRepository;
    private ElizaConsumerHealthCheck healthCheck;
    private volatile String joinProblem;
    private long startedAt;
    // gap recovery; the server's createdAt (epoch ms) of the newest message seen, -1 while unknown
    private final AtomicLong watermark = new AtomicLong(-1);
    // event thread only
    private boolean recovering;
    private int recoveryGeneration;
    private final List<Event> held = new ArrayList<>();

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
        startedAt = System.currentTimeMillis();
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(), "consumers",
                HealthCheckRepository.class);
        if (healthCheckRepository != null) {
            healthCheck = new ElizaConsumerHealthCheck(this, getRouteId());
            healthCheck.setEnabled(endpoint.getComponent().isHealthCheckConsumerEnabled());
            setHealthCheck(healthCheck);
        }
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
                        ElizaConnection.unwrap(e) instanceof TimeoutException ? notJoined(timeout) : ElizaConnection.unwrap(e)));
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

    @Override
    protected void doStop() throws Exception {
        if (healthCheck != null) {
            setHealthCheck(null);
            healthCheck = null;
        }
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

    /** The connection in use, or null while stopped. */
    ElizaConnection getConnection() {
        return connection;
    }

    /** Why this consumer cannot receive messages now, or null when it can. Never holds credentials. */
    String getProblem() {
        ElizaConnection current = connection;
        String problem = ElizaHealthCheck.connectionProblem(current, "consumer");
        if (problem != null) {
            return problem;
        }
        if (joinProblem != null) {
            return joinProblem;
        }
        return current.isJoined(getEndpoint().getChannelId())
                ? null : "Joining channel " + getEndpoint().getChannelId() + " (not confirmed by the server yet)";
    }

    // --- event thread: filter and queue only

    @Override
    public void onEvent(String event, Map<String, Object> payload) {
        if (!events.contains(event) || !accept(event, payload)) {
            return;
        }
        Event accepted = new Event(event, payload);
        if (recovering) {
            // after a reconnect: what was missed goes first, then these
            held.add(accepted);
            return;
        }
        queue.add(accepted);
        scheduleRouting();
    }

    @Override
    public void onJoined(boolean rejoin) {
        joinProblem = null;
        if (!getEndpoint().getConfiguration().isGapRecovery()) {
            return;
        }
        if (rejoin) {
            recoverGap();
        } else if (watermark.get() < 0) {
            // where "what was missed" starts if nothing arrives before a disconnect: the newest message now
            connection.rest().messages(getEndpoint().getChannelId(), 1, 0).whenComplete((page, error) -> {
                long newest = error != null || page.isEmpty() ? 0 : ElizaProtocol.createdAt(page.get(0));
                watermark.accumulateAndGet(newest, Math::max);
            });
        }
    }

    @Override
    public void onJoinFailed(Exception cause) {
        joinProblem = cause.getMessage();
        if (isStarted()) {
            getExceptionHandler().handleException("Eliza consumer cannot join its channel", cause);
        }
    }

    // --- gap recovery: after a reconnect, fetch over REST what was posted while away

    private void recoverGap() {
        ElizaConnection current = connection;
        if (current == null) {
            return;
        }
        recovering = true;
        int generation = ++recoveryGeneration;
        long since = watermark.get() >= 0 ? watermark.get() : startedAt;
        int max = getEndpoint().getConfiguration().getGapRecoveryMaxMessages();
        current.rest().messagesSince(getEndpoint().getChannelId(), since, max).whenComplete(
                (history, error) -> EventThread.exec(() -> finishRecovery(generation, history, error, since)));
    }

    private void finishRecovery(int generation, ElizaRestClient.History history, Throwable error, long since) {
        ElizaEndpoint endpoint = getEndpoint();
        if (error != null) {
            Throwable cause = ElizaConnection.unwrap(error);
            getExceptionHandler().handleException(new ElizaConnectionException(
                    "Gap recovery of channel " + endpoint.getChannelId() + " failed; messages posted while the"
                                                                               + " connection was down may be missing: "
                                                                               + cause.getMessage(),
                    cause));
        } else {
            List<Map<String, Object>> missed = new ArrayList<>(history.messages());
            missed.sort(Comparator.comparingLong(ElizaProtocol::createdAt));
            int recovered = 0;
            if (events.contains(ElizaEvents.MESSAGE_BROADCAST)) {
                for (Map<String, Object> stored : missed) {
                    Map<String, Object> payload = ElizaProtocol.fromStoredMessage(stored);
                    if (accept(ElizaEvents.MESSAGE_BROADCAST, payload)) {
                        queue.add(new Event(ElizaEvents.MESSAGE_BROADCAST, payload));
                        recovered++;
                    }
                }
            }
            LOG.info("Gap recovery of channel {}: {} messages since {} delivered after the reconnect",
                    endpoint.getChannelId(), recovered, since);
            if (!history.complete()) {
                getExceptionHandler().handleException(new ElizaConnectionException(
                        "More than gapRecoveryMaxMessages (" + endpoint.getConfiguration().getGapRecoveryMaxMessages()
                                                                                   + ") messages were posted to channel "
                                                                                   + endpoint.getChannelId()
                                                                                   + " while the connection was down;"
                                                                                   + " only the oldest were delivered"));
            }
        }
        if (generation == recoveryGeneration) {
            recovering = false;
            queue.addAll(held);
            held.clear();
        }
        scheduleRouting();
    }

    private boolean accept(String event, Map<String, Object> payload) {
        ElizaEndpoint endpoint = getEndpoint();
        ElizaConfiguration config = endpoint.getConfiguration();
        if (ElizaEvents.MESSAGE_BROADCAST.equals(event) && payload.get("createdAt") instanceof Number) {
            watermark.accumulateAndGet(((Number) payload.get("createdAt")).longValue(), Math::max);
        }
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
