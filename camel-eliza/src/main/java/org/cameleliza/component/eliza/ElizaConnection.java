package org.cameleliza.component.eliza;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.thread.EventThread;
import okhttp3.OkHttpClient;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket.IO connection to an elizaOS server, shared by every consumer and producer of a CamelContext that uses the
 * same {@link ElizaConnectionKey}.
 * <p>
 * It owns the protocol rules that break hand-written clients: the {@code entityId} handshake, joining every channel
 * again after each (re)connect (the server forgets joins with the socket), matching acks to messages, and filtering
 * server events by channel. Socket.IO calls it on a single event thread: nothing here blocks, and listeners must hand
 * work to their own threads.
 */
public class ElizaConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaConnection.class);
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 20000;

    /** The state of the connection, as health checks and error messages report it. */
    public enum State {
        CONNECTING,
        CONNECTED,
        DISCONNECTED,
        /** The server refused the handshake (credentials): no reconnect is attempted. */
        REJECTED,
        /** Gave up reconnecting after maxReconnectAttempts. */
        FAILED,
        CLOSED
    }

    /** Receives the server events of one channel. Called on the Socket.IO event thread: must not block. */
    public interface ChannelListener {
        void onEvent(String event, Map<String, Object> payload);

        /** A server event whose payload could not be read; the connection goes on. */
        void onMalformedEvent(String event, Exception cause);

        /** The server confirmed the join of the channel; {@code rejoin} after a reconnect. On the event thread. */
        default void onJoined(boolean rejoin) {
        }

        /** A join was refused or not confirmed in time; the connection keeps trying while it is up. */
        default void onJoinFailed(Exception cause) {
        }
    }

    private final ElizaConnectionKey key;
    private final ElizaConnectionSettings settings;
    private final ElizaRestClient rest;
    private final OkHttpClient http;
    private final Socket socket;
    private final Object lock = new Object();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final ElizaAckTracker acks = new ElizaAckTracker();
    private State state = State.CONNECTING;
    private String lastError;
    private long stateSince = System.currentTimeMillis();
    private CompletableFuture<Void> connected = new CompletableFuture<>();
    private int users;
    private final ElizaReplyTracker replies = new ElizaReplyTracker(this);
    private final AtomicInteger connectAttempts = new AtomicInteger();
    private final AtomicInteger disconnects = new AtomicInteger();
    private volatile boolean everConnected;
    private volatile String messageServerId;
    private int manualReconnects;

    public ElizaConnection(ElizaConnectionSettings settings) {
        this.settings = settings;
        this.key = settings.getKey();
        this.rest = new ElizaRestClient(settings);
        this.http = httpClient(settings);
        this.socket = IO.socket(serverRoot(key.getUrl()), options(settings, http));
        registerHandlers();
    }

    private static URI serverRoot(String url) {
        URI uri = URI.create(url);
        // the path of a Socket.IO URL names a namespace; elizaOS uses the root namespace
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    private static OkHttpClient httpClient(ElizaConnectionSettings settings) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder().readTimeout(1, TimeUnit.MINUTES);
        if (settings.getSslContext() != null) {
            builder.sslSocketFactory(settings.getSslContext().getSocketFactory(), settings.getTrustManager());
        }
        return builder.build();
    }

    private static IO.Options options(ElizaConnectionSettings settings, OkHttpClient http) {
        ElizaConnectionKey key = settings.getKey();
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("entityId", key.getEntityId());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        settings.getHttpHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
        if (key.getApiKey() != null) {
            auth.put("apiKey", key.getApiKey());
            headers.put("x-api-key", List.of(key.getApiKey()));
        }
        if (key.getAuthToken() != null) {
            auth.put("token", key.getAuthToken());
            headers.put("Authorization", List.of("Bearer " + key.getAuthToken()));
        }
        int attempts = settings.getMaxReconnectAttempts();
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(true)
                .setReconnectionDelay(settings.getReconnectInitialDelay())
                .setReconnectionDelayMax(settings.getReconnectMaxDelay())
                .setReconnectionAttempts(attempts > 0 ? attempts : Integer.MAX_VALUE)
                .setTimeout(HANDSHAKE_TIMEOUT_MILLIS)
                .setAuth(auth)
                .setExtraHeaders(headers)
                .build();
        options.callFactory = http;
        options.webSocketFactory = http;
        return options;
    }

    private void registerHandlers() {
        socket.io().on(Manager.EVENT_RECONNECT_ATTEMPT, args -> connectAttempts.incrementAndGet());
        socket.io().on(Manager.EVENT_RECONNECT_FAILED, args -> onReconnectFailed());
        socket.on(Socket.EVENT_CONNECT, args -> onConnect());
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> onConnectError(args.length > 0 ? args[0] : null));
        socket.on(Socket.EVENT_DISCONNECT, args -> onDisconnect(args.length > 0 ? String.valueOf(args[0]) : "unknown"));
        socket.on(ElizaProtocol.EVENT_MESSAGE_ACK, args -> onServerEvent(ElizaProtocol.EVENT_MESSAGE_ACK, args));
        socket.on(ElizaEvents.MESSAGE_ERROR, args -> onServerEvent(ElizaEvents.MESSAGE_ERROR, args));
        socket.on(ElizaProtocol.EVENT_CHANNEL_JOINED, args -> onServerEvent(ElizaProtocol.EVENT_CHANNEL_JOINED, args));
        for (String event : ElizaEvents.CHANNEL_EVENTS) {
            socket.on(event, args -> onServerEvent(event, args));
        }
    }

    /**
     * Handles one event from the server, on the event thread. Package-private so that tests can hand it what a real
     * server never sends (a malformed payload, a message again) while everything else stays real.
     */
    void onServerEvent(String event, Object[] args) {
        switch (event) {
            case ElizaProtocol.EVENT_MESSAGE_ACK:
                onAck(args);
                break;
            case ElizaEvents.MESSAGE_ERROR:
                onError(args);
                break;
            case ElizaProtocol.EVENT_CHANNEL_JOINED:
                onChannelJoined(args);
                break;
            default:
                onChannelEvent(event, args);
                break;
        }
    }

    /** Starts connecting; returns at once. */
    public void open() {
        LOG.debug("Connecting to Eliza server {}", key);
        connectAttempts.incrementAndGet();
        socket.connect();
    }

    public void close() {
        synchronized (lock) {
            setState(State.CLOSED, null);
            connected.completeExceptionally(new ElizaConnectionException("The connection to " + key.getUrl() + " was closed"));
            acks.failAll(new ElizaConnectionException(
                    "The connection to " + key.getUrl() + " was closed before the server acknowledged the message"));
        }
        socket.off();
        socket.io().off();
        socket.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        LOG.debug("Closed connection to Eliza server {}", key);
    }

    // --- used by the connection manager

    int retain() {
        return ++users;
    }

    int release() {
        return --users;
    }

    // --- API for consumers and producers

    public ElizaConnectionKey getKey() {
        return key;
    }

    public State getState() {
        synchronized (lock) {
            return state;
        }
    }

    /** The last connection error the server or the transport reported, or null. Never holds credentials. */
    public String getLastError() {
        synchronized (lock) {
            return lastError;
        }
    }

    /** How many times this connection tried to connect: the first attempt and every reconnect attempt. */
    public int getConnectAttempts() {
        return connectAttempts.get();
    }

    /** How many times this connection was lost after it was up. */
    public int getDisconnects() {
        return disconnects.get();
    }

    /** The message server id the server reported, once connected (null before, or when the server has none). */
    public String getMessageServerId() {
        return messageServerId;
    }

    public ElizaRestClient rest() {
        return rest;
    }

    /** When the connection entered its current state, in milliseconds since the epoch. */
    public long getStateSince() {
        synchronized (lock) {
            return stateSince;
        }
    }

    /**
     * Completes when the connection is up. Fails with {@link ElizaAuthenticationException} when the server refused the
     * handshake, or with {@link ElizaConnectionException} when it is not up within {@code timeoutMillis}.
     */
    public CompletableFuture<Void> awaitConnected(long timeoutMillis) {
        CompletableFuture<Void> current;
        synchronized (lock) {
            if (state == State.REJECTED || state == State.FAILED || state == State.CLOSED) {
                return CompletableFuture.failedFuture(notConnected());
            }
            current = connected;
        }
        if (current.isDone()) {
            return current;
        }
        return current.copy()
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        e instanceof TimeoutException ? notConnectedWithin(timeoutMillis) : e));
    }

    private Exception notConnected() {
        synchronized (lock) {
            if (state == State.REJECTED) {
                return new ElizaAuthenticationException(rejectionMessage(lastError));
            }
            return new ElizaConnectionException("Not connected to the Eliza server at " + key.getUrl()
                                                + (lastError != null ? ": " + lastError : ""));
        }
    }

    private Exception notConnectedWithin(long timeoutMillis) {
        synchronized (lock) {
            if (state == State.REJECTED) {
                return new ElizaAuthenticationException(rejectionMessage(lastError));
            }
            return new ElizaConnectionException("Could not connect to the Eliza server at " + key.getUrl() + " within "
                                                + timeoutMillis + " ms"
                                                + (lastError != null ? ": " + lastError : ""));
        }
    }

    private String rejectionMessage(String reason) {
        return "The Eliza server at " + key.getUrl() + " refused the connection: " + reason
               + ". Check the apiKey option (the server's SERVER_API_KEY), the authToken option and the entityId option";
    }

    /**
     * Joins a channel and delivers its events to the listener, on this connection and on every reconnect. The future
     * completes when the server confirmed the join on the current connection.
     */
    public CompletableFuture<Void> subscribe(String channelId, Map<String, Object> joinPayload, ChannelListener listener) {
        Subscription subscription = subscriptions.computeIfAbsent(channelId, id -> new Subscription(id, joinPayload));
        subscription.listeners.add(listener);
        EventThread.exec(() -> {
            if (socket.connected() && !subscription.joinSent) {
                join(subscription);
            }
        });
        return subscription.joined();
    }

    /** Whether the server confirmed the join of this channel on the current connection. */
    public boolean isJoined(String channelId) {
        Subscription subscription = subscriptions.get(channelId);
        if (subscription == null || getState() != State.CONNECTED) {
            return false;
        }
        CompletableFuture<Void> joined = subscription.joined();
        return joined.isDone() && !joined.isCompletedExceptionally();
    }

    public void unsubscribe(String channelId, ChannelListener listener) {
        subscriptions.computeIfPresent(channelId, (id, subscription) -> {
            subscription.listeners.remove(listener);
            // Socket.IO has no "leave" in the Eliza protocol: events of a channel nobody listens to are dropped here
            return subscription.listeners.isEmpty() ? null : subscription;
        });
    }

    /**
     * Sends a SEND_MESSAGE and completes with the server's messageAck payload. Fails with
     * {@link ElizaMessageRejectedException} on a messageError, {@link ElizaConnectionException} when not connected or
     * when the connection drops first, and {@link TimeoutException} when no ack arrives within
     * {@code ackTimeoutMillis}.
     */
    public CompletableFuture<Map<String, Object>> send(
            String clientMessageId, String messageServerId, JSONObject envelope, long ackTimeoutMillis) {
        return send(clientMessageId, messageServerId, envelope, ackTimeoutMillis, null);
    }

    /**
     * As {@link #send(String, String, JSONObject, long)}, and calls {@code onAck} on the event thread as the ack
     * arrives, before any later event of the connection is handled: request-reply needs to know its message was
     * acknowledged before the agent's answer can arrive.
     */
    public CompletableFuture<Map<String, Object>> send(
            String clientMessageId, String messageServerId, JSONObject envelope, long ackTimeoutMillis,
            Consumer<Map<String, Object>> onAck) {
        CompletableFuture<Map<String, Object>> ack = new CompletableFuture<>();
        // Checked and emitted on the event thread, where the connected flag changes: the Socket.IO client buffers
        // emits made while disconnected and replays them on reconnect, which could duplicate a message whose
        // exchange already failed. Here an emit happens only on a live socket.
        EventThread.exec(() -> {
            if (!socket.connected()) {
                ack.completeExceptionally(notConnected());
                return;
            }
            acks.add(clientMessageId, messageServerId, ack, onAck);
            socket.emit(ElizaProtocol.EMIT_MESSAGE, envelope);
        });
        return ack.orTimeout(ackTimeoutMillis, TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> acks.remove(clientMessageId));
    }

    /** The cause of a failed future stage (a CompletionException wraps it). */
    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Request-reply exchanges of this connection, serialized per channel. */
    ElizaReplyTracker replies() {
        return replies;
    }

    // --- Socket.IO handlers (event thread)

    private void onConnect() {
        boolean rejoin = everConnected;
        everConnected = true;
        synchronized (lock) {
            manualReconnects = 0;
        }
        if (messageServerId != null) {
            connectionReady(rejoin);
            return;
        }
        // once per connection: with data isolation the message server id is a per-deployment random id
        rest.currentMessageServerId().whenComplete((id, error) -> EventThread.exec(() -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof ElizaAuthenticationException) {
                    reject(cause.getMessage(), (ElizaAuthenticationException) cause);
                    return;
                }
                LOG.warn("Cannot read the message server id of {}: {}; using {}", key.getUrl(), cause.getMessage(),
                        ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID);
            }
            messageServerId = id != null ? id : ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID;
            if (socket.connected()) {
                connectionReady(rejoin);
            }
        }));
    }

    private void connectionReady(boolean rejoin) {
        synchronized (lock) {
            setState(State.CONNECTED, null);
        }
        LOG.info("{} to Eliza server {}", rejoin ? "Reconnected" : "Connected", key);
        // the server forgets a socket's rooms when it disconnects: join every channel again
        for (Subscription subscription : subscriptions.values()) {
            subscription.resetJoin();
            subscription.rejoin = rejoin;
            join(subscription);
        }
        CompletableFuture<Void> current;
        synchronized (lock) {
            current = connected;
        }
        current.complete(null);
    }

    private void join(Subscription subscription) {
        subscription.joinSent = true;
        LOG.debug("Joining channel {} on {}", subscription.channelId, key);
        Map<String, Object> payload = new LinkedHashMap<>(subscription.joinPayload);
        if (payload.get("messageServerId") == null) {
            payload.put("messageServerId", messageServerId);
            payload.put("serverId", messageServerId);
        }
        socket.emit(ElizaProtocol.EMIT_MESSAGE, ElizaProtocol.envelope(ElizaProtocol.ROOM_JOINING, payload));
        CompletableFuture<Void> joined = subscription.joined();
        // a join the server does not confirm is sent again, for as long as the connection is up
        CompletableFuture.delayedExecutor(settings.getJoinTimeout(), TimeUnit.MILLISECONDS).execute(
                () -> EventThread.exec(() -> {
                    if (!joined.isDone() && joined == subscription.joined() && socket.connected()
                            && subscriptions.get(subscription.channelId) == subscription) {
                        ElizaConnectionException timeout = new ElizaConnectionException(
                                "The Eliza server at " + key.getUrl() + " did not confirm joining channel "
                                                                                         + subscription.channelId + " within "
                                                                                         + settings.getJoinTimeout()
                                                                                         + " ms; joining again");
                        LOG.warn(timeout.getMessage());
                        subscription.listeners.forEach(l -> l.onJoinFailed(timeout));
                        join(subscription);
                    }
                }));
    }

    private void reject(String reason, ElizaAuthenticationException error) {
        synchronized (lock) {
            setState(State.REJECTED, reason);
            connected.completeExceptionally(error);
        }
        LOG.warn("The Eliza server at {} refused the connection: {}", key.getUrl(), reason);
        failJoins(error);
        socket.io().reconnection(false);
        socket.close();
    }

    private void onReconnectFailed() {
        String reason = "gave up after " + settings.getMaxReconnectAttempts() + " reconnect attempts";
        ElizaConnectionException error;
        synchronized (lock) {
            error = new ElizaConnectionException("Not connected to the Eliza server at " + key.getUrl() + ": " + reason
                                                 + (lastError != null ? " (last error: " + lastError + ")" : ""));
            setState(State.FAILED, reason + (lastError != null ? " (last error: " + lastError + ")" : ""));
            connected.completeExceptionally(error);
        }
        LOG.error(error.getMessage());
        failJoins(error);
    }

    private void onConnectError(Object error) {
        if (error instanceof JSONObject) {
            // a CONNECT_ERROR packet: the server's middleware refused the handshake; the client does not retry it
            String reason = ((JSONObject) error).optString("message", error.toString());
            reject(reason, new ElizaAuthenticationException(rejectionMessage(reason)));
            return;
        }
        String httpStatus = httpStatusOf(error);
        if ("401".equals(httpStatus) || "403".equals(httpStatus)) {
            // a gateway or proxy in front of the server refused us: retrying cannot help
            String reason = "HTTP " + httpStatus + (httpStatus.equals("401") ? " Unauthorized" : " Forbidden");
            reject(reason, new ElizaAuthenticationException(rejectionMessage(reason)));
            return;
        }
        String reason = describe(error);
        boolean first;
        synchronized (lock) {
            first = lastError == null;
            lastError = reason;
        }
        if (first) {
            LOG.warn("Cannot connect to Eliza server {}: {} (retrying)", key, reason);
        } else {
            LOG.debug("Cannot connect to Eliza server {}: {} (retrying)", key, reason);
        }
    }

    /** The polling transport reports an HTTP error status as the message of the error's cause. */
    private static String httpStatusOf(Object error) {
        for (Throwable t = error instanceof Throwable ? (Throwable) error : null; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.matches("\\d{3}")) {
                return message;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private void onDisconnect(String reason) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            setState(State.DISCONNECTED, "disconnected: " + reason);
            if (connected.isDone()) {
                connected = new CompletableFuture<>();
            }
            acks.failAll(new ElizaUnacknowledgedException(
                    "The connection to the Eliza server at " + key.getUrl() + " was lost (" + reason
                                                              + ") before the server acknowledged the message;"
                                                              + " it may or may not have been stored"));
        }
        disconnects.incrementAndGet();
        subscriptions.values().forEach(Subscription::resetJoin);
        LOG.warn("Disconnected from Eliza server {}: {}", key, reason);
        if ("io server disconnect".equals(reason)) {
            // Socket.IO does not reconnect by itself when the server closed the socket: do it, with backoff
            scheduleManualReconnect();
        }
    }

    private void scheduleManualReconnect() {
        int attempt;
        synchronized (lock) {
            attempt = ++manualReconnects;
        }
        int max = settings.getMaxReconnectAttempts();
        if (max > 0 && attempt > max) {
            onReconnectFailed();
            return;
        }
        long delay = Math.min(settings.getReconnectMaxDelay(),
                settings.getReconnectInitialDelay() * (1L << Math.min(attempt - 1, 20)));
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> EventThread.exec(() -> {
            if (getState() == State.DISCONNECTED && !socket.connected()) {
                connectAttempts.incrementAndGet();
                socket.connect();
            }
        }));
    }

    private void onAck(Object[] args) {
        Map<String, Object> payload = parseOrLog(ElizaProtocol.EVENT_MESSAGE_ACK, args);
        if (payload == null) {
            return;
        }
        String clientMessageId = ElizaProtocol.string(payload, "clientMessageId");
        if (!acks.acknowledge(clientMessageId, payload)) {
            LOG.debug("Ack for unknown or timed-out message {} on {}", clientMessageId, key);
        }
    }

    private void onError(Object[] args) {
        Map<String, Object> payload = parseOrLog(ElizaEvents.MESSAGE_ERROR, args);
        String error = payload != null ? ElizaProtocol.string(payload, "error") : null;
        if (error == null) {
            error = "unspecified error";
        }
        if (error.startsWith("Access denied") && failOldestJoin(error)) {
            return;
        }
        if (!acks.reject(error)) {
            // names no channel and claimed by no send: every listener of the connection may want it
            LOG.warn("The Eliza server {} reported an error: {}", key.getUrl(), error);
            Map<String, Object> event = payload != null ? payload : Map.of("error", error);
            subscriptions.values().forEach(s -> s.listeners.forEach(l -> l.onEvent(ElizaEvents.MESSAGE_ERROR, event)));
        }
    }

    private boolean failOldestJoin(String error) {
        for (Subscription subscription : subscriptions.values()) {
            CompletableFuture<Void> joined = subscription.joined();
            if (subscription.joinSent && !joined.isDone()) {
                ElizaMessageRejectedException denied = new ElizaMessageRejectedException(
                        "The Eliza server refused to join channel " + subscription.channelId + ": " + error);
                joined.completeExceptionally(denied);
                subscription.listeners.forEach(l -> l.onJoinFailed(denied));
                return true;
            }
        }
        return false;
    }

    private void failJoins(Exception cause) {
        subscriptions.values().forEach(s -> s.joined().completeExceptionally(cause));
    }

    private void onChannelJoined(Object[] args) {
        Map<String, Object> payload = parseOrLog(ElizaProtocol.EVENT_CHANNEL_JOINED, args);
        String channelId = payload != null ? ElizaProtocol.channelOf(payload) : null;
        Subscription subscription = channelId != null ? subscriptions.get(channelId) : null;
        if (subscription != null && !subscription.joined().isDone()) {
            LOG.debug("Joined channel {} on {}", channelId, key);
            subscription.joined().complete(null);
            boolean rejoin = subscription.rejoin;
            subscription.listeners.forEach(l -> l.onJoined(rejoin));
        }
    }

    private void onChannelEvent(String event, Object[] args) {
        Map<String, Object> payload;
        try {
            payload = ElizaProtocol.parse(args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            // the channel is unknown when the payload cannot be read: every listener hears of it
            subscriptions.values().forEach(s -> s.listeners.forEach(l -> l.onMalformedEvent(event, e)));
            return;
        }
        String channelId = ElizaProtocol.channelOf(payload);
        Subscription subscription = channelId != null ? subscriptions.get(channelId) : null;
        if (subscription != null) {
            subscription.listeners.forEach(l -> l.onEvent(event, payload));
        }
    }

    private Map<String, Object> parseOrLog(String event, Object[] args) {
        try {
            return ElizaProtocol.parse(args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring malformed {} event from Eliza server {}: {}", event, key.getUrl(), e.getMessage());
            return null;
        }
    }

    private void setState(State newState, String error) {
        if (state != newState) {
            stateSince = System.currentTimeMillis();
        }
        state = newState;
        lastError = error;
    }

    private static String describe(Object error) {
        if (error instanceof Throwable) {
            Throwable t = (Throwable) error;
            StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
            for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                sb.append(": ").append(cause.getClass().getSimpleName());
                if (cause.getMessage() != null) {
                    sb.append(" ").append(cause.getMessage());
                }
            }
            return sb.toString();
        }
        return String.valueOf(error);
    }

    @Override
    public String toString() {
        return "ElizaConnection[" + key + "]";
    }

    private static final class Subscription {
        final String channelId;
        final Map<String, Object> joinPayload;
        final List<ChannelListener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean joinSent;
        volatile boolean rejoin;
        private volatile CompletableFuture<Void> joined = new CompletableFuture<>();

        Subscription(String channelId, Map<String, Object> joinPayload) {
            this.channelId = channelId;
            this.joinPayload = joinPayload;
        }

        CompletableFuture<Void> joined() {
            return joined;
        }

        /** A new connection needs a new join; whoever waits on the old one keeps its result. */
        void resetJoin() {
            joinSent = false;
            if (joined.isDone()) {
                joined = new CompletableFuture<>();
            }
        }
    }
}
