package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.thread.EventThread;
import okhttp3.OkHttpClient;
import org.apache.camel.CamelContext;
import org.cameleliza.component.eliza.DefaultElizaHttpClientFactory;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.component.eliza.ElizaUnacknowledgedException;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;
import org.cameleliza.component.eliza.reply.ElizaReplyTracker;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket.IO connection to an elizaOS server, shared by every consumer and producer of a CamelContext with the same
 * {@link ElizaConnectionSettings}.
 * <p>
 * Threading: the connection's state, and the state of its collaborators ({@link ElizaChannelRegistry},
 * {@link ElizaReplyTracker}, {@link ElizaServerInfo}), is only touched on its {@link ElizaEventLoop} (Socket.IO's event
 * thread), without locks; HTTP callbacks and other threads only hand work to it, and its timers run on it. Futures it
 * returns complete on it; a one-way send's message is emitted from the caller's thread, which is what
 * {@link ElizaAckTracker}'s lock is for. Callers that run route code hop to a thread of their own first. See
 * docs/development.md, Threading.
 */
public final class ElizaConnection implements ElizaChannelRegistry.Transport, ElizaReplyTracker.Context {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaConnection.class);
    private static final long CLOSE_TIMEOUT_MILLIS = 5000;
    /**
     * When the server's id or version could not be read at connect, they are read again after these delays, the last
     * one repeated: few requests, since every REST route of the server shares one rate limit.
     */
    private static final long[] SERVER_INFO_RETRIES = { 2000, 10000, 60000, 300000 };

    /** The state of the connection, as health checks and error messages report it. */
    public enum State {
        CONNECTING,
        CONNECTED,
        DISCONNECTED,
        /** The server refused the handshake (credentials): no reconnect is attempted. */
        REJECTED,
        /** Gave up reconnecting after maxReconnectAttempts. */
        FAILED,
        CLOSED;

        boolean isFinal() {
            return this == REJECTED || this == FAILED || this == CLOSED;
        }
    }

    /** Listens to nothing: request-reply subscribes with it, so that the channel is joined while it waits. */
    private static final ElizaChannelListener JOIN_ONLY = new ElizaChannelListener() {
        @Override
        public void onEvent(String event, Map<String, Object> payload) {
        }

        @Override
        public void onMalformedEvent(String event, Exception cause) {
        }
    };

    private final ElizaConnectionSettings settings;
    private final ElizaEventLoop loop;
    private final OkHttpClient http;
    private final Socket socket;
    private final ElizaHandshake handshake;
    private final ElizaRestClient rest;
    private final ElizaServerInfo serverInfo;
    private final ElizaChannelRegistry channels;
    private final ElizaAckTracker acks = new ElizaAckTracker(this::scheduleAckSweep);
    private final ElizaReplyTracker replies = new ElizaReplyTracker(this);
    private final AtomicInteger connectAttempts = new AtomicInteger();
    private final AtomicInteger disconnects = new AtomicInteger();
    // read by health checks and JMX; written on the connection's thread only
    private volatile State state = State.CONNECTING;
    private volatile String lastError;
    private volatile long stateSince = System.currentTimeMillis();
    // the connection's thread only
    private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();
    private boolean everConnected;
    private boolean socketUp;
    private long connectGeneration;
    private int manualReconnects;
    // guarded by the connection manager
    private int users;

    ElizaConnection(ElizaConnectionSettings settings, CamelContext camelContext) throws Exception {
        this.settings = settings;
        this.serverInfo = new ElizaServerInfo(settings.getServerVersion());
        this.loop = new ElizaEventLoop(camelContext, this, "ElizaConnection[" + settings.displayUrl() + "]");
        try {
            this.http = settings.getHttpClientFactory().createClient(settings, camelContext);
            // not the loop itself, which refuses once closed: a REST answer arriving after the close still completes on
            // the loop's thread, never on OkHttp's, where the state its callbacks touch would be shared
            this.rest = new ElizaRestClient(settings, http, ElizaEventLoop::handOff);
            this.channels = new ElizaChannelRegistry(this, settings.getJoinTimeout());
            this.handshake = new ElizaHandshake(settings);
            this.socket = IO.socket(ElizaHandshake.serverRoot(settings.getUrl()),
                    handshake.options(http, channels::hasChannels));
        } catch (Exception e) {
            loop.close();
            throw e;
        }
        registerHandlers();
    }

    private void registerHandlers() {
        socket.io().on(Manager.EVENT_RECONNECT_ATTEMPT, args -> {
            // Socket.IO opens the transport right after this event, on this thread: the token must be current now
            handshake.refresh();
            execute(this::onReconnectAttempt);
        });
        socket.io().on(Manager.EVENT_RECONNECT_FAILED, args -> execute(this::onReconnectFailed));
        socket.on(Socket.EVENT_CONNECT, args -> execute(this::onConnect));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> {
            Object error = args.length > 0 ? args[0] : null;
            execute(() -> onConnectError(error));
        });
        socket.on(Socket.EVENT_DISCONNECT, args -> {
            String reason = args.length > 0 ? String.valueOf(args[0]) : "unknown";
            execute(() -> onDisconnect(reason));
        });
        socket.on(ElizaProtocol.EVENT_MESSAGE_ACK, this::onAckEvent);
        socket.on(ElizaEvents.MESSAGE_ERROR, args -> onServerEvent(ElizaEvents.MESSAGE_ERROR, args));
        socket.on(ElizaProtocol.EVENT_CHANNEL_JOINED, args -> onServerEvent(ElizaProtocol.EVENT_CHANNEL_JOINED, args));
        for (String event : ElizaEvents.CHANNEL_EVENTS) {
            socket.on(event, args -> onServerEvent(event, args));
        }
    }

    /**
     * An ack, on Socket.IO's thread: a one-way send completes here, one hop less; a request's ack goes to the
     * connection's thread, in order with the events that may carry its reply.
     */
    private void onAckEvent(Object[] args) {
        Object arg = args.length > 0 ? args[0] : null;
        if (arg instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) arg;
            if (acks.acknowledgeNow(ElizaProtocol.string(payload, "clientMessageId"), payload)) {
                return;
            }
        }
        onServerEvent(ElizaProtocol.EVENT_MESSAGE_ACK, args);
    }

    /**
     * Hands one event from the server to the connection's thread. Package-private so that tests can hand it what a
     * real server never sends (a malformed payload, a message again) while everything else stays real.
     */
    public void onServerEvent(String event, Object[] args) {
        execute(() -> handle(event, args));
    }

    private void handle(String event, Object[] args) {
        switch (event) {
            case ElizaProtocol.EVENT_MESSAGE_ACK:
                onAck(args);
                break;
            case ElizaEvents.MESSAGE_ERROR:
                onError(args);
                break;
            case ElizaProtocol.EVENT_CHANNEL_JOINED:
                Map<String, Object> joined = parseOrLog(event, args);
                if (joined != null) {
                    channels.onJoined(ElizaProtocol.channelOf(joined));
                }
                break;
            default:
                onChannelEvent(event, args);
                break;
        }
    }

    // --- the connection's thread

    /** Runs the task on the connection's thread; once the connection is closed, tasks are dropped. */
    public void execute(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Unexpected error on the connection to {}", settings, e);
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.trace("Connection to {} is closed: task dropped", settings);
        }
    }

    @Override
    public Future<?> schedule(Runnable task, long delayMillis) {
        try {
            return loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** The ack tracker's sweep, when its earliest deadline is due; a closed connection has failed every send. */
    private void scheduleAckSweep(long delayNanos) {
        try {
            loop.schedule(acks::sweep, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            LOG.trace("Connection to {} is closed: no ack sweep", settings);
        }
    }

    /** Runs {@code action} on the connection's thread and returns its future; fails it when the connection is closed. */
    private <T> CompletableFuture<T> onLoop(Consumer<CompletableFuture<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                if (state == State.CLOSED) {
                    result.completeExceptionally(closedException());
                    return;
                }
                try {
                    action.accept(result);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException closed) {
            result.completeExceptionally(closedException());
        }
        return result;
    }

    // --- lifecycle

    /** Starts connecting; returns at once. */
    void open() {
        execute(() -> {
            LOG.debug("Connecting to Eliza server {}", settings);
            handshake.refresh();
            connectAttempts.incrementAndGet();
            socket.connect();
        });
    }

    /** Fails everything still waiting, closes the socket and the HTTP client, and stops the connection's thread. */
    void close() {
        if (ElizaEventLoop.isCurrent()) {
            closeOnLoop();
        } else {
            CompletableFuture<Void> closed = onLoop(done -> {
                closeOnLoop();
                done.complete(null);
            });
            try {
                closed.get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("Closing the connection to {}: {}", settings, e.getMessage());
            }
        }
        socket.off();
        socket.io().off();
        socket.close();
        // tasks still queued run and find the connection CLOSED (their futures fail); timers are dropped
        loop.close();
        if (settings.getHttpClientFactory() instanceof DefaultElizaHttpClientFactory) {
            // a client we built: ours to shut down. A user's factory may share its dispatcher and pool with others
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        LOG.debug("Closed connection to Eliza server {}", settings);
    }

    private void closeOnLoop() {
        if (state == State.CLOSED) {
            return;
        }
        setState(State.CLOSED, null);
        ElizaConnectionException closed = closedException();
        failWaiters(closed);
        channels.failAll(closed);
        acks.failAll(new ElizaConnectionException(
                "The connection to " + settings.displayUrl() + " was closed before the server acknowledged the message"));
        replies.failAll(new ElizaConnectionException(
                "The connection to " + settings.displayUrl() + " was closed before the agent answered"));
    }

    private ElizaConnectionException closedException() {
        return new ElizaConnectionException("The connection to " + settings.displayUrl() + " was closed");
    }

    // --- used by the connection manager (under its lock)

    int retain() {
        return ++users;
    }

    int release() {
        return --users;
    }

    // --- API for consumers and producers

    public ElizaConnectionSettings getSettings() {
        return settings;
    }

    public State getState() {
        return state;
    }

    /** The last connection error the server or the transport reported, or null. Never holds credentials. */
    public String getLastError() {
        return lastError;
    }

    /** When the connection entered its current state, in milliseconds since the epoch. */
    public long getStateSince() {
        return stateSince;
    }

    /** How many times this connection tried to connect: the first attempt and every reconnect attempt. */
    public int getConnectAttempts() {
        return connectAttempts.get();
    }

    /** The server's version as the connection knows it ("1.4.2", or a range such as "1.6 or later"), or null. */
    public String getServerVersion() {
        ElizaServerVersion version = serverInfo.version();
        return version != null ? version.text() : null;
    }

    /** How many times this connection was lost after it was up. */
    public int getDisconnects() {
        return disconnects.get();
    }

    /** Whether the server confirmed the join of a channel on the current connection. Any thread. */
    public boolean isJoined(String channelId) {
        return state == State.CONNECTED && channels.isJoined(channelId);
    }

    @Override
    public ElizaRestClient rest() {
        return rest;
    }

    @Override
    public String entityId() {
        return settings.getEntityId();
    }

    /**
     * Completes when the connection is up. Fails with {@link ElizaAuthenticationException} when the server refused the
     * handshake, or with {@link ElizaConnectionException} when it is not up within {@code timeoutMillis}.
     */
    public CompletableFuture<Void> awaitConnected(long timeoutMillis) {
        if (state == State.CONNECTED) {
            return CompletableFuture.completedFuture(null);
        }
        return onLoop(connected -> {
            if (state.isFinal()) {
                connected.completeExceptionally(notConnected());
            } else if (state == State.CONNECTED) {
                connected.complete(null);
            } else {
                connectWaiters.add(connected);
                schedule(() -> {
                    if (connectWaiters.remove(connected)) {
                        connected.completeExceptionally(notConnectedWithin(timeoutMillis));
                    }
                }, timeoutMillis);
            }
        });
    }

    /**
     * Subscribes a listener to a channel: the channel is joined now (when connected) and after every reconnect, until
     * the subscription is closed.
     */
    public ElizaSubscription subscribe(String channelId, Map<String, Object> joinPayload, ElizaChannelListener listener) {
        ElizaSubscription subscription = new ElizaSubscription(this, channelId, listener);
        // before the add runs on the connection's thread: the decoder keeps channel events from now on
        channels.expectChannels();
        execute(() -> channels.add(subscription, joinPayload));
        return subscription;
    }

    void unsubscribe(ElizaSubscription subscription) {
        execute(() -> channels.remove(subscription,
                new ElizaConnectionException("Unsubscribed from channel " + subscription.channelId())));
    }

    CompletableFuture<Void> awaitJoined(ElizaSubscription subscription, long timeoutMillis) {
        return onLoop(joined -> {
            if (state.isFinal()) {
                joined.completeExceptionally(notConnected());
            } else {
                channels.awaitJoined(subscription, joined, timeoutMillis);
            }
        });
    }

    /**
     * Sends a SEND_MESSAGE and completes with the server's messageAck payload. Fails with
     * {@link ElizaMessageRejectedException} on a messageError, {@link ElizaConnectionException} when not connected,
     * {@link ElizaUnacknowledgedException} when the connection drops first, and {@link TimeoutException} when no ack
     * arrives within {@code ackTimeoutMillis}.
     */
    public CompletableFuture<Map<String, Object>> send(ElizaOutgoingMessage message, long ackTimeoutMillis) {
        CompletableFuture<Map<String, Object>> ack = new CompletableFuture<>();
        // on the caller's thread: the ack tracker takes a lock, and the emit goes to Socket.IO's thread anyway
        emit(message, ackTimeoutMillis, ack, false);
        return ack;
    }

    /**
     * Emits a SEND_MESSAGE whose ack completes {@code ack}. On any thread for a one-way send; {@code ordered} (a
     * request's, whose ack is handled in order with the server's events) on the connection's thread.
     */
    private void emit(ElizaOutgoingMessage message, long ackTimeoutMillis, CompletableFuture<Map<String, Object>> ack,
                      boolean ordered) {
        if (state != State.CONNECTED) {
            // never handed to Socket.IO while down: its send buffer would replay it after a reconnect, unasked
            ack.completeExceptionally(notConnected());
            return;
        }
        ElizaProtocol.Json envelope = message.envelope(serverInfo.messageServerId());
        String id = message.clientMessageId();
        String messageServerId = message.messageServerId(serverInfo.messageServerId());
        // registered right before the emit, on Socket.IO's thread: the tracker's order is the order on the wire, which
        // attributing a messageError relies on
        EventThread.exec(() -> {
            acks.add(id, messageServerId, ack, ackTimeoutMillis, ordered);
            // lost or closed since the check above (perhaps after every pending send was failed), or the socket is
            // down: never handed to Socket.IO then
            if (state != State.CONNECTED || !socket.connected()) {
                Runnable fail = () -> acks.fail(id, notConnected());
                if (ordered) {
                    // a request's ack, failed or not, is handled on the connection's thread
                    execute(fail);
                } else {
                    fail.run();
                }
                return;
            }
            socket.emit(ElizaProtocol.EMIT_MESSAGE, envelope.argument());
        });
    }

    /**
     * Sends a message and waits for the agent's reply to it: the channel is joined first (the reply reaches only
     * sockets in the room; where only participants may join, right after the message made us one), the reply is
     * matched to this message exactly (see {@link ElizaReplyTracker}), and the whole request ends within
     * {@code timeoutMillis}.
     */
    public CompletableFuture<ElizaReplyTracker.Reply> request(
            ElizaOutgoingMessage message, Map<String, Object> joinPayload, long connectTimeout, long ackTimeout,
            long deadlineMillis, boolean exact, Consumer<Map<String, Object>> onAck) {
        ElizaSubscription subscription = subscribe(message.channelId(), joinPayload, JOIN_ONLY);
        CompletableFuture<ElizaReplyTracker.Reply> reply = awaitConnected(connectTimeout)
                .thenCompose(v -> subscription.awaitJoined(connectTimeout).handle((joined, error) -> error))
                .thenCompose(joinError -> {
                    if (joinError == null) {
                        return onLoop(result -> sendAndAwaitReply(message, ackTimeout, deadlineMillis, exact, onAck,
                                null, result));
                    }
                    Throwable cause = unwrap(joinError);
                    if (cause instanceof ElizaMessageRejectedException && message.agentId() != null) {
                        // data isolation: only participants may join, and this channel comes to exist, with us and the
                        // agent as participants, with our first message. Send it first, then join; a reply that was
                        // stored before the join is read over REST.
                        LOG.debug("Joining channel {} was refused; sending first: {}", message.channelId(),
                                cause.getMessage());
                        return onLoop(result -> sendAndAwaitReply(message, ackTimeout, deadlineMillis, exact, onAck,
                                subscription, result));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
        reply.whenComplete((r, e) -> subscription.close());
        return reply;
    }

    /**
     * Sends the request and waits for its reply, on the connection's thread. {@code joinAfterAck}: the channel could
     * not be joined before; it is joined once the server acknowledged the message, and replies already stored count.
     */
    private void sendAndAwaitReply(
            ElizaOutgoingMessage message, long ackTimeout, long deadlineMillis, boolean exact,
            Consumer<Map<String, Object>> onAck, ElizaSubscription joinAfterAck,
            CompletableFuture<ElizaReplyTracker.Reply> result) {
        if (System.currentTimeMillis() >= deadlineMillis) {
            // connecting and joining took the whole time: nobody waits for an answer any more
            result.completeExceptionally(new ElizaReplyTracker.ReplyTimeoutException(
                    "The request to channel " + message.channelId() + " was not sent: connecting and joining"
                                                                      + " took until its deadline"));
            return;
        }
        CompletableFuture<Map<String, Object>> ack = new CompletableFuture<>();
        // completes on this thread when the ack is handled, before any later event: the waiter is in place before
        // the agent's answer can arrive
        ack.whenComplete((acked, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            onAck.accept(acked);
            String requestId = ElizaProtocol.string(acked, "messageId");
            if (joinAfterAck == null) {
                replies.await(message.channelId(), requestId, message.agentId(), exact, acked,
                        deadlineMillis - System.currentTimeMillis(), false, result);
                return;
            }
            channels.joinAgain(message.channelId());
            joinAfterAck.awaitJoined(Math.max(1, deadlineMillis - System.currentTimeMillis()))
                    .whenComplete((joined, joinError) -> execute(() -> {
                        if (joinError != null) {
                            result.completeExceptionally(unwrap(joinError));
                        } else {
                            replies.await(message.channelId(), requestId, message.agentId(), exact, acked,
                                    deadlineMillis - System.currentTimeMillis(), true, result);
                        }
                    }));
        });
        emit(message, ackTimeout, ack, true);
    }

    /**
     * Waits for the reply to a message sent before (a redelivery of a request whose message the server stored): a
     * reply already stored is taken first, else the next one that answers it.
     */
    public CompletableFuture<ElizaReplyTracker.Reply> awaitReply(
            String channelId, String requestId, String agentId, boolean exact, Map<String, Object> joinPayload,
            long connectTimeout, long deadlineMillis) {
        ElizaSubscription subscription = subscribe(channelId, joinPayload, JOIN_ONLY);
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("messageId", requestId);
        CompletableFuture<ElizaReplyTracker.Reply> reply = awaitConnected(connectTimeout)
                .thenCompose(v -> subscription.awaitJoined(connectTimeout))
                .thenCompose(v -> onLoop(result -> replies.await(channelId, requestId, agentId, exact, ack,
                        deadlineMillis - System.currentTimeMillis(), true, result)));
        reply.whenComplete((r, e) -> subscription.close());
        return reply;
    }

    /** For the dev console: a consistent picture, taken on the connection's thread. */
    public CompletableFuture<Map<String, Object>> snapshot() {
        return onLoop(result -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("url", settings.displayUrl());
            info.put("entityId", settings.getEntityId());
            info.put("state", state.name());
            info.put("stateSince", stateSince);
            info.put("lastError", lastError);
            info.put("connectAttempts", connectAttempts.get());
            info.put("disconnects", disconnects.get());
            info.put("messageServerId", serverInfo.messageServerId());
            ElizaServerVersion version = serverInfo.version();
            info.put("serverVersion", version != null ? version.describe() : null);
            info.put("pendingAcks", acks.size());
            info.put("waitingReplies", replies.size());
            info.put("channels", channels.snapshot());
            result.complete(info);
        });
    }

    // --- Socket.IO handlers, on the connection's thread

    private void onReconnectAttempt() {
        connectAttempts.incrementAndGet();
    }

    private void onConnect() {
        if (state.isFinal()) {
            return;
        }
        socketUp = true;
        long generation = ++connectGeneration;
        boolean rejoin = everConnected;
        everConnected = true;
        manualReconnects = 0;
        serverInfo.refresh(rest, settings.displayUrl()).whenComplete((v, error) -> {
            if (!socketUp || generation != connectGeneration || state.isFinal()) {
                return;
            }
            if (error != null) {
                Throwable cause = unwrap(error);
                reject(cause.getMessage(), cause instanceof ElizaAuthenticationException
                        ? (ElizaAuthenticationException) cause : new ElizaAuthenticationException(cause.getMessage()));
                return;
            }
            connectionReady(rejoin);
            readServerInfoLater(generation, 0);
        });
    }

    /**
     * What a transient failure kept the connect from reading (a 429 or 5xx from the server's REST API) is read again
     * while the connection lasts: until then messages carry the default message server id, which a server with data
     * isolation refuses ("Server 00000000-... does not exist").
     */
    private void readServerInfoLater(long generation, int attempt) {
        if (serverInfo.isComplete()) {
            return;
        }
        long delay = SERVER_INFO_RETRIES[Math.min(attempt, SERVER_INFO_RETRIES.length - 1)];
        schedule(() -> {
            if (!socketUp || generation != connectGeneration || state.isFinal()) {
                return;
            }
            serverInfo.refresh(rest, settings.displayUrl()).whenComplete((v, error) -> {
                if (!socketUp || generation != connectGeneration || state.isFinal()) {
                    return;
                }
                Throwable cause = error != null ? unwrap(error) : null;
                if (cause instanceof ElizaAuthenticationException) {
                    reject(cause.getMessage(), (ElizaAuthenticationException) cause);
                } else if (serverInfo.isComplete()) {
                    ElizaServerVersion version = serverInfo.version();
                    LOG.info("Read what the connect could not about Eliza server {}: message server id {}, {}",
                            settings.displayUrl(), serverInfo.messageServerId(),
                            version != null ? version.describe() : "version unknown");
                } else {
                    readServerInfoLater(generation, attempt + 1);
                }
            });
        }, delay);
    }

    private void connectionReady(boolean rejoin) {
        setState(State.CONNECTED, null);
        ElizaServerVersion version = serverInfo.version();
        LOG.info("{} to Eliza server {}: {}", rejoin ? "Reconnected" : "Connected", settings,
                version != null ? version.describe() : "version unknown (it reported none and its REST API did not answer)");
        channels.onConnected(rejoin);
        List<CompletableFuture<Void>> waiting = new ArrayList<>(connectWaiters);
        connectWaiters.clear();
        waiting.forEach(w -> w.complete(null));
        if (rejoin) {
            replies.onReconnected();
        }
    }

    private void reject(String reason, ElizaAuthenticationException error) {
        setState(State.REJECTED, reason);
        LOG.warn("The Eliza server at {} refused the connection: {}", settings.displayUrl(), reason);
        failEverything(error);
        EventThread.exec(() -> {
            socket.io().reconnection(false);
            socket.close();
        });
    }

    private void onReconnectFailed() {
        if (state.isFinal()) {
            return;
        }
        String reason = "gave up after " + settings.getMaxReconnectAttempts() + " reconnect attempts"
                        + (lastError != null ? " (last error: " + lastError + ")" : "");
        ElizaConnectionException error = new ElizaConnectionException(
                "Not connected to the Eliza server at " + settings.displayUrl() + ": " + reason);
        setState(State.FAILED, reason);
        LOG.error(error.getMessage());
        failEverything(error);
    }

    private void failEverything(Exception error) {
        failWaiters(error);
        channels.failAll(error);
        acks.failAll(error);
        replies.failAll(error);
    }

    private void failWaiters(Exception error) {
        List<CompletableFuture<Void>> waiting = new ArrayList<>(connectWaiters);
        connectWaiters.clear();
        waiting.forEach(w -> w.completeExceptionally(error));
    }

    private void onConnectError(Object error) {
        if (state.isFinal()) {
            return;
        }
        if (error instanceof JSONObject) {
            // a CONNECT_ERROR packet: the server's middleware refused the handshake; the client does not retry it
            String reason = ((JSONObject) error).optString("message", error.toString());
            reject(reason, new ElizaAuthenticationException(rejectionMessage(reason)));
            return;
        }
        String httpStatus = ElizaHandshake.httpStatusOf(error);
        if ("401".equals(httpStatus) || "403".equals(httpStatus)) {
            // a gateway or proxy in front of the server refused us: retrying cannot help
            String reason = "HTTP " + httpStatus + (httpStatus.equals("401") ? " Unauthorized" : " Forbidden");
            reject(reason, new ElizaAuthenticationException(rejectionMessage(reason)));
            return;
        }
        String reason = ElizaHandshake.describe(error);
        boolean first = lastError == null;
        lastError = reason;
        if (first) {
            LOG.warn("Cannot connect to Eliza server {}: {} (retrying)", settings, reason);
        } else {
            LOG.debug("Cannot connect to Eliza server {}: {} (retrying)", settings, reason);
        }
    }

    private void onDisconnect(String reason) {
        socketUp = false;
        if (state.isFinal()) {
            // REJECTED and FAILED stay what they are when the socket closes after them: the manager replaces them
            return;
        }
        boolean wasUp = state == State.CONNECTED;
        setState(State.DISCONNECTED, "disconnected: " + reason);
        acks.failAll(new ElizaUnacknowledgedException(
                "The connection to the Eliza server at " + settings.displayUrl() + " was lost (" + reason
                                                      + ") before the server acknowledged the message;"
                                                      + " it may or may not have been stored"));
        channels.onDisconnected();
        if (wasUp) {
            disconnects.incrementAndGet();
        }
        LOG.warn("Disconnected from Eliza server {}: {}", settings, reason);
        if ("io server disconnect".equals(reason)) {
            // Socket.IO does not reconnect by itself when the server closed the socket: do it, with backoff
            scheduleManualReconnect();
        }
    }

    private void scheduleManualReconnect() {
        int attempt = ++manualReconnects;
        int max = settings.getMaxReconnectAttempts();
        if (max > 0 && attempt > max) {
            onReconnectFailed();
            return;
        }
        long delay = Math.min(settings.getReconnectMaxDelay(),
                settings.getReconnectInitialDelay() * (1L << Math.min(attempt - 1, 20)));
        // with jitter, as Socket.IO's own reconnects: clients a server restart cut off do not return in lockstep
        long jittered = delay + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        schedule(() -> {
            if (state == State.DISCONNECTED && !socketUp) {
                handshake.refresh();
                connectAttempts.incrementAndGet();
                socket.connect();
            }
        }, jittered);
    }

    private void onAck(Object[] args) {
        Map<String, Object> payload = parseOrLog(ElizaProtocol.EVENT_MESSAGE_ACK, args);
        if (payload == null) {
            return;
        }
        String clientMessageId = ElizaProtocol.string(payload, "clientMessageId");
        if (!acks.acknowledge(clientMessageId, payload)) {
            LOG.debug("Ack for unknown or timed-out message {} on {}", clientMessageId, settings);
        }
    }

    private void onError(Object[] args) {
        Map<String, Object> payload = parseOrLog(ElizaEvents.MESSAGE_ERROR, args);
        String error = payload != null ? ElizaProtocol.string(payload, "error") : null;
        if (error == null) {
            error = "unspecified error";
        }
        if (error.startsWith("Access denied") && channels.onJoinDenied(error)) {
            return;
        }
        if (!acks.reject(error)) {
            // names no channel and claimed by no send: every listener of the connection may want it
            LOG.warn("The Eliza server {} reported an error: {}", settings.displayUrl(), error);
            channels.deliverToAll(ElizaEvents.MESSAGE_ERROR, payload != null ? payload : Map.of("error", error));
        }
    }

    private void onChannelEvent(String event, Object[] args) {
        if (channels.isEmpty()) {
            // a producer-only connection: nobody to read it for
            return;
        }
        Map<String, Object> payload;
        try {
            payload = ElizaProtocol.parse(args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            // the channel is unknown when the payload cannot be read: every listener hears of it
            channels.malformedToAll(event, e);
            return;
        }
        String channelId = ElizaProtocol.channelOf(payload);
        if (ElizaEvents.MESSAGE_COMPLETE.equals(event)) {
            serverInfo.onMessageComplete(rest);
        }
        if (channelId != null) {
            replies.onEvent(channelId, event, payload);
            channels.deliver(channelId, event, payload);
        }
    }

    private Map<String, Object> parseOrLog(String event, Object[] args) {
        try {
            return ElizaProtocol.parse(args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring malformed {} event from Eliza server {}: {}", event, settings.displayUrl(), e.getMessage());
            return null;
        }
    }

    // --- ElizaChannelRegistry.Transport

    @Override
    public void emitJoin(Map<String, Object> payload) {
        ElizaProtocol.Json envelope = ElizaProtocol.envelope(ElizaProtocol.ROOM_JOINING, payload);
        EventThread.exec(() -> {
            if (socket.connected()) {
                socket.emit(ElizaProtocol.EMIT_MESSAGE, envelope.argument());
            }
        });
    }

    @Override
    public String messageServerId() {
        return serverInfo.messageServerId();
    }

    @Override
    public String describe() {
        return settings.displayUrl();
    }

    // --- errors

    private Exception notConnected() {
        if (state == State.REJECTED) {
            return new ElizaAuthenticationException(rejectionMessage(lastError));
        }
        if (state == State.CLOSED) {
            return closedException();
        }
        return new ElizaConnectionException("Not connected to the Eliza server at " + settings.displayUrl()
                                            + (lastError != null ? ": " + lastError : ""));
    }

    private Exception notConnectedWithin(long timeoutMillis) {
        if (state == State.REJECTED) {
            return new ElizaAuthenticationException(rejectionMessage(lastError));
        }
        return new ElizaConnectionException("Could not connect to the Eliza server at " + settings.displayUrl()
                                            + " within " + timeoutMillis + " ms"
                                            + (lastError != null ? ": " + lastError : ""));
    }

    private String rejectionMessage(String reason) {
        return "The Eliza server at " + settings.displayUrl() + " refused the connection: " + reason
               + ". Check the apiKey option (the server's SERVER_API_KEY), the authToken option and the entityId option";
    }

    private void setState(State newState, String error) {
        if (state != newState) {
            stateSince = System.currentTimeMillis();
        }
        state = newState;
        lastError = error;
    }

    /** The cause of a failed future stage (a CompletionException wraps it). */
    public static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public String toString() {
        return "ElizaConnection[" + settings + "]";
    }
}
