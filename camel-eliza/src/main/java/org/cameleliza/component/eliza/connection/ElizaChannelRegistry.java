package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels a connection has joined and who listens to them. The server forgets a socket's rooms when it
 * disconnects, so every channel is joined again on every connect; a join the server does not confirm is sent again.
 * Confined to the connection's thread: no locks.
 */
public final class ElizaChannelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaChannelRegistry.class);

    /** What the registry needs from its connection. */
    interface Transport {
        /** Emits ROOM_JOINING on the live socket. */
        void emitJoin(Map<String, Object> payload);

        /** Runs the task on the connection's thread after a delay. */
        Future<?> schedule(Runnable task, long delayMillis);

        /** The message server id to join with, when the endpoint sets none. */
        String messageServerId();

        String describe();
    }

    /** A channel with its subscriptions and the state of its join. */
    private static final class Channel {
        final String channelId;
        final Map<String, Object> joinPayload;
        final List<ElizaSubscription> subscriptions = new ArrayList<>();
        final List<Waiter> waiters = new ArrayList<>();
        boolean joined;
        boolean rejoin;
        boolean denied;
        // our own message made us a participant and announced us to the agent: later joins leave the entity out
        boolean announced;
        long joinSentSeq = -1;
        Future<?> joinTimer;

        Channel(String channelId, Map<String, Object> joinPayload) {
            this.channelId = channelId;
            this.joinPayload = joinPayload;
        }
    }

    private record Waiter(ElizaSubscription owner, CompletableFuture<Void> joined) {
    }

    private final Transport transport;
    private final long joinTimeout;
    // insertion order: the order channels were first subscribed
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    // the joined channels, for readers on other threads (health checks, JMX)
    private final Set<String> joinedView = ConcurrentHashMap.newKeySet();
    private long joinSeq;
    private boolean connected;
    // whether any channel is subscribed, for the packet decoder on Socket.IO's thread
    private volatile boolean hasChannels;

    ElizaChannelRegistry(Transport transport, long joinTimeout) {
        this.transport = transport;
        this.joinTimeout = joinTimeout;
    }

    /** Whether the server confirmed the join of a channel on the current connection. Any thread. */
    boolean isJoined(String channelId) {
        return joinedView.contains(channelId);
    }

    boolean isEmpty() {
        return channels.isEmpty();
    }

    /** A subscription is on its way to {@link #add}: channel events count from now on. Any thread. */
    void expectChannels() {
        hasChannels = true;
    }

    /** Whether any channel is subscribed. Any thread. */
    boolean hasChannels() {
        return hasChannels;
    }

    void add(ElizaSubscription subscription, Map<String, Object> joinPayload) {
        Channel channel = channels.computeIfAbsent(subscription.channelId(), id -> new Channel(id, joinPayload));
        channel.subscriptions.add(subscription);
        hasChannels = true;
        if (connected && channel.joinSentSeq < 0) {
            join(channel);
        } else if (connected && channel.joined) {
            // joined for another subscriber already: this one hears it too
            try {
                subscription.listener().onJoined(false);
            } catch (RuntimeException e) {
                LOG.warn("A listener of channel {} failed", channel.channelId, e);
            }
        }
    }

    void remove(ElizaSubscription subscription, Exception reason) {
        Channel channel = channels.get(subscription.channelId());
        if (channel == null || !channel.subscriptions.remove(subscription)) {
            return;
        }
        failWaiters(channel, w -> w.owner() == subscription, reason);
        if (channel.subscriptions.isEmpty()) {
            // elizaOS has no "leave": the events of a channel nobody listens to are dropped here
            channels.remove(channel.channelId);
            hasChannels = !channels.isEmpty();
            joinedView.remove(channel.channelId);
            cancelTimer(channel);
        }
    }

    /** Adds a waiter for the join of the subscription's channel; completes at once when it is joined. */
    void awaitJoined(ElizaSubscription subscription, CompletableFuture<Void> joined, long timeoutMillis) {
        Channel channel = channels.get(subscription.channelId());
        if (channel == null || !channel.subscriptions.contains(subscription)) {
            joined.completeExceptionally(new ElizaConnectionException(
                    "Not subscribed to channel " + subscription.channelId() + " on " + transport.describe()));
            return;
        }
        if (channel.joined && connected) {
            joined.complete(null);
            return;
        }
        Waiter waiter = new Waiter(subscription, joined);
        channel.waiters.add(waiter);
        transport.schedule(() -> {
            if (channel.waiters.remove(waiter)) {
                joined.completeExceptionally(new ElizaConnectionException(
                        "The Eliza server at " + transport.describe() + " did not confirm joining channel "
                                                                          + channel.channelId + " within " + timeoutMillis
                                                                          + " ms"));
            }
        }, timeoutMillis);
    }

    /**
     * Joins a channel again that the server refused, after our first message created it with us as participant (data
     * isolation). That message announced us to the agent already (a DM message emits ENTITY_JOINED), so this join and
     * every later one (a rejoin after a reconnect may come while the message is still processed) leave the entity
     * out. Announced twice, elizaOS 1.6 and 1.7 create the agent's room for the channel in two places at once while
     * the agent processes the message; when the message loses that race, the agent drops it ("Failed to create room")
     * and never answers.
     */
    void joinAgain(String channelId) {
        Channel channel = channels.get(channelId);
        if (channel != null && connected && !channel.joined) {
            channel.denied = false;
            channel.announced = true;
            join(channel);
        }
    }

    /** The socket is up (again): join every channel. */
    void onConnected(boolean rejoin) {
        connected = true;
        joinedView.clear();
        for (Channel channel : channels.values()) {
            channel.joined = false;
            channel.denied = false;
            channel.rejoin = rejoin;
            join(channel);
        }
    }

    /** The socket is down: the server forgot every join. */
    void onDisconnected() {
        connected = false;
        joinedView.clear();
        for (Channel channel : channels.values()) {
            channel.joined = false;
            channel.joinSentSeq = -1;
            cancelTimer(channel);
        }
    }

    private void join(Channel channel) {
        LOG.debug("Joining channel {} on {}", channel.channelId, transport.describe());
        Map<String, Object> payload = new LinkedHashMap<>(channel.joinPayload);
        if (channel.announced) {
            payload.remove("entityId");
        }
        if (payload.get("messageServerId") == null) {
            payload.put("messageServerId", transport.messageServerId());
            payload.put("serverId", transport.messageServerId());
        }
        transport.emitJoin(payload);
        channel.joinSentSeq = ++joinSeq;
        cancelTimer(channel);
        long sent = channel.joinSentSeq;
        channel.joinTimer = transport.schedule(() -> {
            if (connected && !channel.joined && !channel.denied && channel.joinSentSeq == sent
                    && channels.get(channel.channelId) == channel) {
                ElizaConnectionException timeout = new ElizaConnectionException(
                        "The Eliza server at " + transport.describe() + " did not confirm joining channel "
                                                                                + channel.channelId + " within " + joinTimeout
                                                                                + " ms; joining again");
                LOG.warn(timeout.getMessage());
                notify(channel, l -> l.onJoinFailed(timeout));
                join(channel);
            }
        }, joinTimeout);
    }

    void onJoined(String channelId) {
        Channel channel = channelId != null ? channels.get(channelId) : null;
        if (channel == null || channel.joined || !connected) {
            return;
        }
        LOG.debug("Joined channel {} on {}", channelId, transport.describe());
        channel.joined = true;
        joinedView.add(channelId);
        cancelTimer(channel);
        List<Waiter> waiting = new ArrayList<>(channel.waiters);
        channel.waiters.clear();
        waiting.forEach(w -> w.joined().complete(null));
        boolean rejoin = channel.rejoin;
        notify(channel, l -> l.onJoined(rejoin));
    }

    /**
     * A join refusal ("Access denied") names no channel: it answers the oldest join still unconfirmed, as the server
     * handles a socket's packets in order.
     *
     * @return false when no join was waiting
     */
    boolean onJoinDenied(String error) {
        Channel oldest = null;
        for (Channel channel : channels.values()) {
            if (channel.joinSentSeq >= 0 && !channel.joined && !channel.denied
                    && (oldest == null || channel.joinSentSeq < oldest.joinSentSeq)) {
                oldest = channel;
            }
        }
        if (oldest == null) {
            return false;
        }
        // not sent again until the next reconnect: a refusal does not change by asking again
        oldest.denied = true;
        cancelTimer(oldest);
        ElizaMessageRejectedException denied = new ElizaMessageRejectedException(
                "The Eliza server refused to join channel " + oldest.channelId + ": " + error);
        failWaiters(oldest, w -> true, denied);
        notify(oldest, l -> l.onJoinFailed(denied));
        return true;
    }

    /** The connection will not come back (refused, given up, closed): whoever waits for a join fails. */
    void failAll(Exception cause) {
        connected = false;
        joinedView.clear();
        for (Channel channel : channels.values()) {
            channel.joined = false;
            cancelTimer(channel);
            failWaiters(channel, w -> true, cause);
        }
    }

    /** Hands a channel's event to each of its listeners; one listener's failure does not keep it from the others. */
    void deliver(String channelId, String event, Map<String, Object> payload) {
        Channel channel = channelId != null ? channels.get(channelId) : null;
        if (channel != null) {
            notify(channel, l -> l.onEvent(event, payload));
        }
    }

    /** An event that names no channel: every listener may want it. */
    void deliverToAll(String event, Map<String, Object> payload) {
        new ArrayList<>(channels.values()).forEach(c -> notify(c, l -> l.onEvent(event, payload)));
    }

    void malformedToAll(String event, Exception cause) {
        new ArrayList<>(channels.values()).forEach(c -> notify(c, l -> l.onMalformedEvent(event, cause)));
    }

    /** For the dev console: channel id to [joined, listeners]. */
    Map<String, Object[]> snapshot() {
        Map<String, Object[]> snapshot = new LinkedHashMap<>();
        channels.forEach((id, c) -> snapshot.put(id, new Object[] { c.joined, c.subscriptions.size() }));
        return snapshot;
    }

    private void notify(Channel channel, Consumer<ElizaChannelListener> call) {
        for (ElizaSubscription subscription : new ArrayList<>(channel.subscriptions)) {
            try {
                call.accept(subscription.listener());
            } catch (RuntimeException e) {
                LOG.warn("A listener of channel {} failed; the others still get the event", channel.channelId, e);
            }
        }
    }

    private static void failWaiters(Channel channel, Predicate<Waiter> which, Exception cause) {
        for (Iterator<Waiter> it = channel.waiters.iterator(); it.hasNext();) {
            Waiter waiter = it.next();
            if (which.test(waiter)) {
                it.remove();
                waiter.joined().completeExceptionally(cause);
            }
        }
    }

    private static void cancelTimer(Channel channel) {
        if (channel.joinTimer != null) {
            channel.joinTimer.cancel(false);
            channel.joinTimer = null;
        }
    }
}
