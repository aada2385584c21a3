package org.cameleliza.component.eliza.connection;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.socket.client.Socket;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.ElizaUnacknowledgedException;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;
import org.cameleliza.component.eliza.reply.ElizaReplyTracker;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one connection: CONNECTING, CONNECTED, DISCONNECTED, REJECTED (refused, tried again with a slow
 * backoff) and the final FAILED and CLOSED; what a connect reads of the server before it counts as up, the reconnects
 * Socket.IO does not do by itself, and the exceptions that say why the connection is not up. Confined to the
 * connection's thread (its {@link ElizaEventLoop}); what health checks and JMX read is published through volatile
 * fields.
 */
final class ElizaConnectionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaConnectionLifecycle.class);
    private static final Runnable NOTHING = () -> {
    };

    private final ElizaConnectionSettings settings;
    private final ElizaEventLoop loop;
    private final Socket socket;
    private final ElizaHandshake handshake;
    private final ElizaRestClient rest;
    private final ElizaServerInfo serverInfo;
    private final ElizaChannelRegistry channels;
    private final ElizaAckTracker acks;
    private final ElizaReplyTracker replies;
    private final ElizaConnectionErrors errors;
    private final AtomicInteger connectAttempts = new AtomicInteger();
    private final AtomicInteger disconnects = new AtomicInteger();
    // read by health checks and JMX; written on the connection's thread only
    private volatile ElizaConnection.State state = ElizaConnection.State.CONNECTING;
    private volatile String lastError;
    private volatile long stateSince = System.currentTimeMillis();
    // the connection's thread only
    private final ElizaConnectWaiters waiters = new ElizaConnectWaiters();
    private boolean everConnected;
    private boolean socketUp;
    private long connectGeneration;
    private int manualReconnects;
    // what else lets go of state when the socket goes down (request-reply's lingering channels)
    private Runnable onDisconnected = NOTHING;
    // refusals in a row: the backoff of the next attempt grows with them; a connection that is up resets them
    private int refusals;
    private String refusal;

    ElizaConnectionLifecycle(ElizaConnectionSettings settings, ElizaEventLoop loop, Socket socket,
                             ElizaHandshake handshake, ElizaRestClient rest, ElizaServerInfo serverInfo,
                             ElizaChannelRegistry channels, ElizaAckTracker acks, ElizaReplyTracker replies) {
        this.settings = settings;
        this.loop = loop;
        this.socket = socket;
        this.handshake = handshake;
        this.rest = rest;
        this.serverInfo = serverInfo;
        this.channels = channels;
        this.acks = acks;
        this.replies = replies;
        this.errors = new ElizaConnectionErrors(settings);
    }

    void whenDisconnected(Runnable task) {
        onDisconnected = task;
    }

    ElizaConnection.State state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    long stateSince() {
        return stateSince;
    }

    int connectAttempts() {
        return connectAttempts.get();
    }

    int disconnects() {
        return disconnects.get();
    }

    /** Adds what the state machine knows to the dev console's picture. */
    void describe(Map<String, Object> info) {
        info.put("state", state.name());
        info.put("stateSince", stateSince);
        info.put("lastError", lastError);
        info.put("connectAttempts", connectAttempts.get());
        info.put("disconnects", disconnects.get());
    }

    // --- on the connection's thread

    /** The first connect attempt. */
    void connect() {
        LOG.debug("Connecting to Eliza server {}", settings);
        handshake.readTokenThen(loop, () -> {
            if (state == ElizaConnection.State.CONNECTING && !socketUp) {
                handshake.refresh();
                connectAttempts.incrementAndGet();
                socket.connect();
            }
        });
    }

    /** Completes {@code connected} when the connection is up, or fails it when it is final or not up in time. */
    void awaitConnected(long timeoutMillis, CompletableFuture<Void> connected) {
        if (state.failsAtOnce()) {
            connected.completeExceptionally(notConnected());
        } else if (state == ElizaConnection.State.CONNECTED) {
            connected.complete(null);
        } else {
            waiters.untilUp(connected);
            schedule(() -> {
                if (waiters.remove(connected)) {
                    connected.completeExceptionally(errors.notConnectedWithin(state, lastError, timeoutMillis));
                }
            }, timeoutMillis);
        }
    }

    /**
     * Completes {@code outcome} when the connection is up, fails it as soon as an attempt to connect failed (the server
     * unreachable, refusing, or gone), or after {@code timeoutMillis}: what a route start that need not wait for the
     * server waits for.
     */
    void awaitAttempt(long timeoutMillis, CompletableFuture<Void> outcome) {
        if (state == ElizaConnection.State.CONNECTED) {
            outcome.complete(null);
        } else if (state.failsAtOnce() || lastError != null && state != ElizaConnection.State.CONNECTING) {
            outcome.completeExceptionally(notConnected());
        } else {
            waiters.forAttempt(outcome);
            schedule(() -> {
                if (waiters.remove(outcome)) {
                    outcome.completeExceptionally(errors.notConnectedWithin(state, lastError, timeoutMillis));
                }
            }, timeoutMillis);
        }
    }

    /** Moves to CLOSED and fails everything still waiting. Returns false when it was closed already. */
    boolean close() {
        if (state == ElizaConnection.State.CLOSED) {
            return false;
        }
        setState(ElizaConnection.State.CLOSED, null);
        ElizaConnectionException closed = closedException();
        waiters.failAll(closed);
        channels.failAll(closed);
        acks.failAll(new ElizaConnectionException(
                "The connection to " + settings.displayUrl() + " was closed before the server acknowledged the message"));
        replies.failAll(new ElizaConnectionException(
                "The connection to " + settings.displayUrl() + " was closed before the agent answered"));
        return true;
    }

    void onReconnectAttempt() {
        connectAttempts.incrementAndGet();
    }

    void onConnect() {
        if (state.failsAtOnce()) {
            // the socket of a refused attempt, closed since: the retry opens it again
            return;
        }
        socketUp = true;
        long generation = ++connectGeneration;
        boolean rejoin = everConnected;
        everConnected = true;
        manualReconnects = 0;
        serverInfo.refresh(rest, settings.displayUrl()).whenComplete((v, error) -> {
            if (!isCurrent(generation)) {
                return;
            }
            if (error != null) {
                Throwable cause = ElizaConnection.unwrap(error);
                reject(cause.getMessage(), cause instanceof ElizaAuthenticationException
                        ? (ElizaAuthenticationException) cause : new ElizaAuthenticationException(cause.getMessage()));
                return;
            }
            connectionReady(rejoin);
            serverInfo.readLater(rest, settings.displayUrl(), this::schedule, () -> isCurrent(generation),
                    refused -> reject(refused.getMessage(), refused));
        });
    }

    /** Whether the socket connect of this generation is still the one that is up. */
    private boolean isCurrent(long generation) {
        return socketUp && generation == connectGeneration && !state.failsAtOnce();
    }

    private void connectionReady(boolean rejoin) {
        setState(ElizaConnection.State.CONNECTED, null);
        refusals = 0;
        ElizaServerVersion version = serverInfo.version();
        LOG.info("{} to Eliza server {}: {}", rejoin ? "Reconnected" : "Connected", settings,
                version != null ? version.describe() : "version unknown (it reported none and its REST API did not answer)");
        channels.onConnected(rejoin);
        waiters.up();
        if (rejoin) {
            replies.onReconnected();
        }
    }

    /**
     * A refusal: everything waiting fails with it, the socket closes, and one attempt is made again after a slow
     * backoff (credentials are renewed, keys fixed, gateways reconfigured: never by retrying at once), with the
     * credentials read again. Subscriptions stay: their channels are joined again once it is up.
     */
    private void reject(String reason, ElizaAuthenticationException error) {
        int attempt = ++refusals;
        // a little jitter: clients refused together (a key rotated) do not return in lockstep
        long jittered = backoff(settings.getRefusedReconnectInitialDelay(), settings.getRefusedReconnectMaxDelay(),
                attempt, 4);
        refusal = reason;
        setState(ElizaConnection.State.REJECTED, reason + " (trying again in " + (jittered + 999) / 1000 + " s)");
        LOG.warn("The Eliza server at {} refused the connection: {}; trying again in {} s, with the credentials read"
                 + " again", settings.displayUrl(), reason, (jittered + 999) / 1000);
        failEverything(error);
        loop.run(() -> {
            socket.io().reconnection(false);
            socket.close();
        });
        schedule(() -> {
            if (state == ElizaConnection.State.REJECTED && refusals == attempt) {
                retry();
            }
        }, jittered);
    }

    /** A route starts on a refused connection: it tries again now, not after the backoff. */
    void retryIfRefused() {
        if (state == ElizaConnection.State.REJECTED) {
            retry();
        }
    }

    private void retry() {
        // the refusal stays the reason health checks show until this attempt ends
        setState(ElizaConnection.State.CONNECTING, "refused before (" + refusal + "), connecting again");
        LOG.info("Connecting again to Eliza server {} after its refusal", settings.displayUrl());
        // the credentials read again first (a renewed token is what mends most refusals), off Socket.IO's thread
        handshake.readTokenThen(loop, () -> {
            if (state == ElizaConnection.State.CONNECTING && !socketUp) {
                handshake.refresh();
                connectAttempts.incrementAndGet();
                socket.io().reconnection(true);
                socket.connect();
            }
        });
    }

    void onReconnectFailed() {
        if (state.failsAtOnce()) {
            return;
        }
        String reason = "gave up after " + settings.getMaxReconnectAttempts() + " reconnect attempts"
                        + (lastError != null ? " (last error: " + lastError + ")" : "");
        ElizaConnectionException error = new ElizaConnectionException(
                "Not connected to the Eliza server at " + settings.displayUrl() + ": " + reason);
        setState(ElizaConnection.State.FAILED, reason);
        LOG.error(error.getMessage());
        failEverything(error);
    }

    private void failEverything(Exception error) {
        waiters.failAll(error);
        channels.failAll(error);
        acks.failAll(error);
        replies.failAll(error);
    }

    void onConnectError(Object error) {
        if (state.failsAtOnce()) {
            return;
        }
        if (error instanceof JSONObject) {
            // a CONNECT_ERROR packet: the server's middleware refused the handshake; the client does not retry it
            String reason = ((JSONObject) error).optString("message", error.toString());
            reject(reason, new ElizaAuthenticationException(errors.rejectionMessage(reason)));
            return;
        }
        String httpStatus = ElizaHandshake.httpStatusOf(error);
        if ("401".equals(httpStatus) || "403".equals(httpStatus)) {
            // a gateway or proxy in front of the server refused us: retrying cannot help
            String reason = "HTTP " + httpStatus + (httpStatus.equals("401") ? " Unauthorized" : " Forbidden");
            reject(reason, new ElizaAuthenticationException(errors.rejectionMessage(reason)));
            return;
        }
        String reason = ElizaHandshake.describe(error);
        // Socket.IO's next attempt sends the token as last read: read it again now, off its thread
        handshake.readTokenThen(loop, NOTHING);
        boolean first = lastError == null;
        lastError = reason;
        waiters.attemptFailed(notConnected());
        if (first) {
            LOG.warn("Cannot connect to Eliza server {}: {} (retrying)", settings, reason);
        } else {
            LOG.debug("Cannot connect to Eliza server {}: {} (retrying)", settings, reason);
        }
    }

    void onDisconnect(String reason) {
        socketUp = false;
        if (state.failsAtOnce()) {
            // REJECTED and FAILED stay what they are when the socket closes after them: a refusal tries again by
            // itself, a FAILED connection is replaced by the manager
            return;
        }
        boolean wasUp = state == ElizaConnection.State.CONNECTED;
        setState(ElizaConnection.State.DISCONNECTED, "disconnected: " + reason);
        acks.failAll(new ElizaUnacknowledgedException(
                "The connection to the Eliza server at " + settings.displayUrl() + " was lost (" + reason
                                                      + ") before the server acknowledged the message;"
                                                      + " it may or may not have been stored"));
        channels.onDisconnected();
        onDisconnected.run();
        handshake.readTokenThen(loop, NOTHING);
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
        // with jitter, as Socket.IO's own reconnects: clients a server restart cut off do not return in lockstep
        long jittered = backoff(settings.getReconnectInitialDelay(), settings.getReconnectMaxDelay(), attempt, 2);
        schedule(() -> handshake.readTokenThen(loop, () -> {
            if (state == ElizaConnection.State.DISCONNECTED && !socketUp) {
                handshake.refresh();
                connectAttempts.incrementAndGet();
                socket.connect();
            }
        }), jittered);
    }

    /** The delay of attempt {@code attempt}: doubling from {@code initial} up to {@code max}, plus up to 1/{@code jitter}. */
    private static long backoff(long initial, long max, int attempt, int jitter) {
        long delay = Math.min(max, initial * (1L << Math.min(attempt - 1, 20)));
        return delay + ThreadLocalRandom.current().nextLong(delay / jitter + 1);
    }

    /** A timer on the connection's thread; none once the connection is closed, whose close failed what it guards. */
    private void schedule(Runnable task, long delayMillis) {
        try {
            loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            LOG.trace("Connection to {} is closed: no timer", settings);
        }
    }

    // --- errors: see ElizaConnectionErrors

    /** Why nothing can be sent now: the refusal, the close, or the last connection error. */
    Exception notConnected() {
        return errors.notConnected(state, lastError);
    }

    ElizaConnectionException closedException() {
        return errors.closed();
    }

    private void setState(ElizaConnection.State newState, String error) {
        if (state != newState) {
            stateSince = System.currentTimeMillis();
        }
        state = newState;
        lastError = error;
    }
}
