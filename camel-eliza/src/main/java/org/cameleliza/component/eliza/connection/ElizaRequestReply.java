package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;
import org.cameleliza.component.eliza.reply.ElizaReplyTracker;
import org.cameleliza.component.eliza.reply.ElizaStreamTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request and the wait for its reply, over one connection: connect, join the channel (the reply reaches only sockets
 * in the room), send, and hand the acknowledged request to the {@link ElizaReplyTracker}, which matches the agent's
 * answer to it. Where only participants may join (data isolation), the message is sent first and the channel joined
 * after its ack. The steps run on the connection's thread; the futures complete there.
 * <p>
 * A channel stays joined for {@link #LINGER_MILLIS} after its last request: the tracker keeps hearing what is said in it
 * between requests, so that the next answer can be matched by position when nothing else could pass for it, without a
 * REST request (see {@code ElizaChannelWatch}).
 */
final class ElizaRequestReply {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaRequestReply.class);

    /** Listens to nothing: request-reply subscribes with it, so that the channel is joined while it waits. */
    private static final ElizaChannelListener JOIN_ONLY = new ElizaChannelListener() {
        @Override
        public void onEvent(String event, Map<String, Object> payload) {
        }

        @Override
        public void onMalformedEvent(String event, Exception cause) {
        }
    };

    /** How long a channel stays joined after its last request. */
    static final long LINGER_MILLIS = TimeUnit.MINUTES.toMillis(5);
    /** The most channels kept joined that way per connection: the least recently asked is let go first. */
    private static final int MAX_LINGERING = 1000;

    private record Lingering(ElizaSubscription subscription, Future<?> closer) {
    }

    private final ElizaConnection connection;
    private final ElizaSender sender;
    private final ElizaChannelRegistry channels;
    private final ElizaReplyTracker replies;
    private final ElizaServerInfo serverInfo;
    // on the connection's thread: the channels kept joined after their last request, least recently asked first
    private final Map<String, Lingering> lingering = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Lingering> eldest) {
            if (size() <= MAX_LINGERING) {
                return false;
            }
            letGo(eldest.getKey(), eldest.getValue());
            return true;
        }
    };

    ElizaRequestReply(ElizaConnection connection, ElizaSender sender, ElizaChannelRegistry channels,
                      ElizaReplyTracker replies, ElizaServerInfo serverInfo) {
        this.connection = connection;
        this.serverInfo = serverInfo;
        this.sender = sender;
        this.channels = channels;
        this.replies = replies;
    }

    /** See {@link ElizaConnection#request}. */
    CompletableFuture<ElizaReplyTracker.Reply> request(
            ElizaOutgoingMessage message, Map<String, Object> joinPayload, long connectTimeout, long ackTimeout,
            long deadlineMillis, boolean exact, Consumer<Map<String, Object>> onAck, ElizaStreamTracker.Feed feed) {
        ElizaSubscription subscription = connection.subscribe(message.channelId(), joinPayload, JOIN_ONLY);
        CompletableFuture<ElizaReplyTracker.Reply> reply = connection.awaitConnected(connectTimeout)
                .thenCompose(v -> subscription.awaitJoined(connectTimeout).handle((joined, error) -> error))
                .thenCompose(joinError -> {
                    if (joinError == null) {
                        return connection.<ElizaReplyTracker.Reply> onLoop(result -> sendAndAwaitReply(
                                message, ackTimeout, deadlineMillis, exact, onAck, null, feed, result));
                    }
                    Throwable cause = ElizaConnection.unwrap(joinError);
                    if (cause instanceof ElizaMessageRejectedException && message.agentId() != null) {
                        // data isolation: only participants may join, and this channel comes to exist, with us and the
                        // agent as participants, with our first message. Send it first, then join; a reply that was
                        // stored before the join is read over REST.
                        LOG.debug("Joining channel {} was refused; sending first: {}", message.channelId(),
                                cause.getMessage());
                        return connection.<ElizaReplyTracker.Reply> onLoop(result -> sendAndAwaitReply(
                                message, ackTimeout, deadlineMillis, exact, onAck, subscription, feed, result));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
        reply.whenComplete((r, e) -> connection.execute(() -> done(message.channelId(), subscription, e)));
        return reply;
    }

    /**
     * Sends the request and waits for its reply, on the connection's thread. {@code joinAfterAck}: the channel could
     * not be joined before; it is joined once the server acknowledged the message, and replies already stored count.
     */
    private void sendAndAwaitReply(
            ElizaOutgoingMessage message, long ackTimeout, long deadlineMillis, boolean exact,
            Consumer<Map<String, Object>> onAck, ElizaSubscription joinAfterAck, ElizaStreamTracker.Feed feed,
            CompletableFuture<ElizaReplyTracker.Reply> result) {
        if (System.currentTimeMillis() >= deadlineMillis) {
            // connecting and joining took the whole time: nobody waits for an answer any more
            result.completeExceptionally(new ElizaReplyTracker.ReplyTimeoutException(
                    "The request to channel " + message.channelId() + " was not sent: connecting and joining"
                                                                      + " took until its deadline"));
            return;
        }
        ElizaServerVersion version = serverInfo.version();
        if (feed != null && version != null && version.lacksStreamedReplies()) {
            result.completeExceptionally(new ElizaException("Option streaming needs elizaOS 1.7 or later, whose agents"
                                                            + " stream their answers; the server is " + version.text()));
            return;
        }
        CompletableFuture<Map<String, Object>> ack = new CompletableFuture<>();
        // completes on this thread when the ack is handled, before any later event: the waiter is in place before
        // the agent's answer can arrive
        ack.whenComplete((acked, error) -> {
            if (error != null) {
                // stored or not, we cannot tell: an answer to it may still come, and must not pass for a later one's
                replies.unacknowledged(message.channelId(), message.clientMessageId());
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
            // onLoop, not execute: once the connection is closed the request fails, rather than waiting for nothing
            joinAfterAck.awaitJoined(Math.max(1, deadlineMillis - System.currentTimeMillis()))
                    .whenComplete((joined, joinError) -> connection.<ElizaReplyTracker.Reply> onLoop(waited -> {
                        if (joinError != null) {
                            waited.completeExceptionally(ElizaConnection.unwrap(joinError));
                        } else {
                            replies.await(message.channelId(), requestId, message.agentId(), exact, acked,
                                    deadlineMillis - System.currentTimeMillis(), true, waited);
                        }
                    }).whenComplete((reply, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(ElizaConnection.unwrap(failure));
                        } else {
                            result.complete(reply);
                        }
                    }));
        });
        replies.sending(message.channelId(), message.clientMessageId());
        if (feed != null) {
            // before the emit: a stream that starts from now on may be the answer
            replies.streams().watch(message.channelId(), feed);
            result.whenComplete((reply, error) -> replies.streams().close(feed));
        }
        sender.emit(message, ackTimeout, ack, true);
    }

    /** See {@link ElizaConnection#awaitReply}. */
    CompletableFuture<ElizaReplyTracker.Reply> awaitReply(
            String channelId, String requestId, String agentId, boolean exact, Map<String, Object> joinPayload,
            long connectTimeout, long deadlineMillis) {
        ElizaSubscription subscription = connection.subscribe(channelId, joinPayload, JOIN_ONLY);
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("messageId", requestId);
        CompletableFuture<ElizaReplyTracker.Reply> reply = connection.awaitConnected(connectTimeout)
                .thenCompose(v -> subscription.awaitJoined(connectTimeout))
                .thenCompose(v -> connection.<ElizaReplyTracker.Reply> onLoop(result -> replies.await(
                        channelId, requestId, agentId, exact, ack, deadlineMillis - System.currentTimeMillis(), true,
                        result)));
        reply.whenComplete((r, e) -> connection.execute(() -> done(channelId, subscription, e)));
        return reply;
    }

    /**
     * A request is done. Answered in a joined channel, its subscription keeps the channel joined for a while; failed,
     * it is closed at once: a channel whose join was refused or never confirmed is joined afresh by the next request.
     */
    private void done(String channelId, ElizaSubscription subscription, Throwable error) {
        if (error == null && channels.isJoined(channelId)) {
            linger(channelId, subscription);
        } else {
            subscription.close();
        }
    }

    /**
     * The connection went down: the channels kept joined are let go (what was said while it was down was not heard
     * anyway, so they would be rejoined for nothing); the next request of a channel joins it again. A streamed answer
     * that had begun is cut: its stream fails.
     */
    void letGoAll() {
        replies.streams().connectionLost();
        List<Map.Entry<String, Lingering>> all = new ArrayList<>(lingering.entrySet());
        lingering.clear();
        all.forEach(e -> letGo(e.getKey(), e.getValue()));
    }

    /** The request of this subscription is done: its channel stays joined by it for a while, instead of the last one. */
    private void linger(String channelId, ElizaSubscription subscription) {
        Lingering previous = lingering.remove(channelId);
        if (previous != null) {
            previous.closer().cancel(false);
            previous.subscription().close();
        }
        Future<?> closer = connection.schedule(() -> {
            Lingering current = lingering.get(channelId);
            if (current != null && current.subscription() == subscription) {
                lingering.remove(channelId);
                letGo(channelId, current);
            }
        }, LINGER_MILLIS);
        lingering.put(channelId, new Lingering(subscription, closer));
    }

    private void letGo(String channelId, Lingering kept) {
        kept.closer().cancel(false);
        kept.subscription().close();
        replies.forget(channelId);
    }
}
