package org.cameleliza.component.eliza.connection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.socket.client.IO;
import io.socket.client.Socket;
import okhttp3.OkHttpClient;
import org.apache.camel.CamelContext;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.component.eliza.ElizaUnacknowledgedException;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;
import org.cameleliza.component.eliza.reply.ElizaReplyTracker;
import org.cameleliza.component.eliza.reply.ElizaStreamTracker;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket.IO connection to an elizaOS server, shared by every consumer and producer of a CamelContext with the same
 * {@link ElizaConnectionSettings}: what consumers and producers call. It builds the connection's parts and hands each
 * call to the one it concerns: the {@link ElizaConnectionLifecycle} (state machine), {@link ElizaServerEvents} (what
 * the server sends), {@link ElizaChannelRegistry} (joins), {@link ElizaAckTracker} (acks), {@link ElizaRequestReply}
 * and {@link ElizaReplyTracker} (request-reply), {@link ElizaServerInfo} and {@link ElizaRestClient}.
 * <p>
 * Threading: the state of the connection and of its parts is only touched on its {@link ElizaEventLoop} (Socket.IO's
 * event thread), without locks; HTTP callbacks and other threads only hand work to it, and its timers run on it.
 * Futures it returns complete on it; a one-way send's message is emitted from the caller's thread, which is what
 * {@link ElizaAckTracker}'s lock is for. Callers that run route code hop to a thread of their own first. See
 * docs/development.md, Threading.
 */
public final class ElizaConnection implements ElizaChannelRegistry.Transport, ElizaReplyTracker.Context {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaConnection.class);
    private static final long CLOSE_TIMEOUT_MILLIS = 5000;

    /** The state of the connection, as health checks and error messages report it. */
    public enum State {
        CONNECTING,
        CONNECTED,
        DISCONNECTED,
        /**
         * The server, or a gateway in front of it, refused the connection (credentials): tried again after
         * refusedReconnectInitialDelay, growing to refusedReconnectMaxDelay, with the credentials read again.
         */
        REJECTED,
        /** Gave up reconnecting after maxReconnectAttempts. */
        FAILED,
        CLOSED;

        /** Whether the connection will never be up again: only a new connection can be. */
        public boolean isFinal() {
            return this == FAILED || this == CLOSED;
        }

        /** Whether a caller is told at once that nothing can be sent, rather than waiting for the connection. */
        public boolean failsAtOnce() {
            return this == REJECTED || isFinal();
        }
    }

    private final ElizaConnectionSettings settings;
    private final ElizaEventLoop loop;
    private final OkHttpClient http;
    private final Socket socket;
    private final ElizaRestClient rest;
    private final ElizaHandshake handshake;
    private final ElizaServerInfo serverInfo;
    private final ElizaChannelRegistry channels;
    private final ElizaAckTracker acks = new ElizaAckTracker(this::scheduleAckSweep);
    private final ElizaReplyTracker replies = new ElizaReplyTracker(this);
    private final ElizaConnectionLifecycle lifecycle;
    private final ElizaServerEvents events;
    private final ElizaSender sender;
    private final ElizaRequestReply requests;
    private final ElizaRecoveryQueue recoveries;
    // guarded by the connection manager
    private int users;

    ElizaConnection(ElizaConnectionSettings settings, CamelContext camelContext, ElizaRecoveryQueue.Pace recoveryPace)
            throws Exception {
        this.settings = settings;
        this.recoveries = new ElizaRecoveryQueue(recoveryPace, new RecoveryLoop(), () -> System.nanoTime() / 1_000_000);
        this.serverInfo = new ElizaServerInfo(settings.getServerVersion());
        this.loop = new ElizaEventLoop(camelContext, this, "ElizaConnection[" + settings.displayUrl() + "]");
        OkHttpClient client = null;
        try {
            client = settings.getHttpClientFactory().createClient(settings, camelContext);
            this.http = client;
            // run, not execute, which refuses once closed: a REST answer arriving after the close still completes on
            // the loop's thread, never on OkHttp's, where the state its callbacks touch would be shared
            this.rest = new ElizaRestClient(settings, http, loop::run);
            this.channels = new ElizaChannelRegistry(this, settings.getJoinTimeout());
            handshake = new ElizaHandshake(settings);
            this.socket = IO.socket(ElizaHandshake.serverRoot(settings.getUrl()),
                    handshake.options(http, channels::hasChannels));
        } catch (Exception e) {
            loop.close();
            releaseClient(settings, client);
            throw e;
        }
        this.lifecycle = new ElizaConnectionLifecycle(settings, loop, socket, handshake, rest, serverInfo, channels,
                acks, replies);
        this.events = new ElizaServerEvents(this, lifecycle, handshake, rest, serverInfo, channels, acks, replies);
        this.sender = new ElizaSender(this, lifecycle, loop, socket, serverInfo, acks);
        this.requests = new ElizaRequestReply(this, sender, channels, replies, serverInfo);
        lifecycle.whenDisconnected(requests::letGoAll);
        events.listenTo(socket);
    }

    /**
     * Hands one event from the server to the connection's thread. Public so that tests can hand it what a real server
     * never sends (a malformed payload, a message again) while everything else stays real.
     */
    public void onServerEvent(String event, Object[] args) {
        events.onServerEvent(event, args);
    }

    // --- the connection's thread

    /** Runs the task on the connection's thread; once the connection is closed, tasks are dropped. */
    public void execute(Runnable task) {
        loop.submit(task);
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
    <T> CompletableFuture<T> onLoop(Consumer<CompletableFuture<T>> action) {
        return loop.call(action, () -> lifecycle.state() == State.CLOSED, lifecycle::closedException);
    }

    // --- lifecycle

    /** Starts connecting; returns at once. */
    void open() {
        execute(lifecycle::connect);
    }

    /** A refused connection tries again now rather than after its backoff: a route that uses it starts. */
    void retryIfRefused() {
        execute(lifecycle::retryIfRefused);
    }

    /**
     * Fails everything still waiting, closes the socket, stops the connection's thread and releases the HTTP client.
     * Each wait for Socket.IO's thread is bounded: that thread is every connection's, and a stop must not hang on it.
     */
    void close() {
        loop.runAndWait(lifecycle::close, CLOSE_TIMEOUT_MILLIS);
        socket.off();
        socket.io().off();
        // waited for: once Socket.IO ran the close, the transport was told to close (a WebSocket sent its close frame),
        // which must come before the release of the HTTP client, when that ends the client's calls
        loop.runAndWait(socket::close, CLOSE_TIMEOUT_MILLIS);
        // tasks still queued run and find the connection CLOSED (their futures fail); timers are dropped
        loop.close();
        handshake.close();
        releaseClient(settings, http);
        LOG.debug("Closed connection to Eliza server {}", settings);
    }

    /** The factory decides whether the client was the connection's own: a user's may be shared with others. */
    private static void releaseClient(ElizaConnectionSettings settings, OkHttpClient http) {
        try {
            if (http != null) {
                settings.getHttpClientFactory().release(http);
            }
        } catch (RuntimeException e) {
            LOG.debug("Releasing the HTTP client of {}: {}", settings, e.getMessage());
        }
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
        return lifecycle.state();
    }

    /** The last connection error the server or the transport reported, or null. Never holds credentials. */
    public String getLastError() {
        return lifecycle.lastError();
    }

    /** When the connection entered its current state, in milliseconds since the epoch. */
    public long getStateSince() {
        return lifecycle.stateSince();
    }

    /** How many times this connection tried to connect: the first attempt and every reconnect attempt. */
    public int getConnectAttempts() {
        return lifecycle.connectAttempts();
    }

    /** The server's version as the connection knows it ("1.4.2", or a range such as "1.6 or later"), or null. */
    public String getServerVersion() {
        ElizaServerVersion version = serverInfo.version();
        return version != null ? version.text() : null;
    }

    /** How many times this connection was lost after it was up. */
    public int getDisconnects() {
        return lifecycle.disconnects();
    }

    /** Whether the server confirmed the join of a channel on the current connection. Any thread. */
    public boolean isJoined(String channelId) {
        return lifecycle.state() == State.CONNECTED && channels.isJoined(channelId);
    }

    /** What the recovery queue needs of the connection: built before the loop, it finds the loop when it needs it. */
    private final class RecoveryLoop implements ElizaRecoveryQueue.Loop {
        @Override
        public void execute(Runnable task) {
            ElizaConnection.this.execute(task);
        }

        @Override
        public Future<?> schedule(Runnable task, long delayMillis) {
            return ElizaConnection.this.schedule(task, delayMillis);
        }

        @Override
        public long restPausedForMillis() {
            return rest.budget().pausedForMillis();
        }

        @Override
        public String describe() {
            return settings.toString();
        }
    }

    /** When the consumers' gap recovery reads go; used on the connection's thread only. */
    public ElizaRecoveryQueue recoveries() {
        return recoveries;
    }

    @Override
    public ElizaRestClient rest() {
        return rest;
    }

    @Override
    public String entityId() {
        return settings.getEntityId();
    }

    @Override
    public boolean dropsSupersededAnswers() {
        ElizaServerVersion version = serverInfo.version();
        return version != null && version.dropsSupersededAnswers();
    }

    /**
     * Completes when the connection is up. Fails with {@link ElizaAuthenticationException} when the server refused the
     * handshake, or with {@link ElizaConnectionException} when it is not up within {@code timeoutMillis}.
     */
    public CompletableFuture<Void> awaitConnected(long timeoutMillis) {
        if (lifecycle.state() == State.CONNECTED) {
            return CompletableFuture.completedFuture(null);
        }
        return onLoop(connected -> lifecycle.awaitConnected(timeoutMillis, connected));
    }

    /**
     * Completes when the connection is up; fails as soon as an attempt to connect failed, or after
     * {@code timeoutMillis}. For a start that waits for a server that is up, and not for one that is down.
     */
    public CompletableFuture<Void> awaitAttempt(long timeoutMillis) {
        if (lifecycle.state() == State.CONNECTED) {
            return CompletableFuture.completedFuture(null);
        }
        return onLoop(outcome -> lifecycle.awaitAttempt(timeoutMillis, outcome));
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
            if (lifecycle.state().failsAtOnce()) {
                joined.completeExceptionally(lifecycle.notConnected());
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
        sender.emit(message, ackTimeoutMillis, ack, false);
        return ack;
    }

    /**
     * Sends a message and waits for the agent's reply to it: the channel is joined first (the reply reaches only
     * sockets in the room; where only participants may join, right after the message made us one), the reply is
     * matched to this message exactly (see {@link ElizaReplyTracker}), and the whole request ends within
     * {@code timeoutMillis}. With a {@code feed} (else null), the chunks of the streamed answer feed its stream.
     */
    public CompletableFuture<ElizaReplyTracker.Reply> request(
            ElizaOutgoingMessage message, Map<String, Object> joinPayload, long connectTimeout, long ackTimeout,
            long deadlineMillis, boolean exact, Consumer<Map<String, Object>> onAck, ElizaStreamTracker.Feed feed) {
        return requests.request(message, joinPayload, connectTimeout, ackTimeout, deadlineMillis, exact, onAck, feed);
    }

    /**
     * Waits for the reply to a message sent before (a redelivery of a request whose message the server stored): a
     * reply already stored is taken first, else the next one that answers it.
     */
    public CompletableFuture<ElizaReplyTracker.Reply> awaitReply(
            String channelId, String requestId, String agentId, boolean exact, Map<String, Object> joinPayload,
            long connectTimeout, long deadlineMillis) {
        return requests.awaitReply(channelId, requestId, agentId, exact, joinPayload, connectTimeout, deadlineMillis);
    }

    /** For the dev console: a consistent picture, taken on the connection's thread. */
    public CompletableFuture<Map<String, Object>> snapshot() {
        return onLoop(result -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("url", settings.displayUrl());
            info.put("entityId", settings.getEntityId());
            lifecycle.describe(info);
            info.put("messageServerId", serverInfo.messageServerId());
            ElizaServerVersion version = serverInfo.version();
            info.put("serverVersion", version != null ? version.describe() : null);
            info.put("pendingAcks", acks.size());
            info.put("waitingReplies", replies.size());
            info.putAll(rest.budget().describe());
            info.putAll(recoveries.describe());
            info.put("channels", channels.snapshot());
            result.complete(info);
        });
    }

    // --- ElizaChannelRegistry.Transport

    @Override
    public void emitJoin(Map<String, Object> payload) {
        ElizaProtocol.Json envelope = ElizaProtocol.envelope(ElizaProtocol.ROOM_JOINING, payload);
        loop.run(() -> {
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

    /** The cause of a failed future stage (a CompletionException wraps it). */
    public static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public String toString() {
        return "ElizaConnection[" + settings + "]";
    }
}
