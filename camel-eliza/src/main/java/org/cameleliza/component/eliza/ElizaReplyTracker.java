package org.cameleliza.component.eliza;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.json.JSONObject;

/**
 * Request-reply on one connection. elizaOS replies name no message they answer, so a reply is matched by position:
 * the first message of the agent in the channel after our message was acknowledged. To make that safe, requests in
 * the same channel run one at a time (a lane per channel); requests in different channels run in parallel. Nothing
 * blocks a thread: a lane moves on when its current request completes.
 */
final class ElizaReplyTracker {

    /** The outcome of a request: the reply payload, or none when the agent finished without answering. */
    record Reply(Map<String, Object> ack, Map<String, Object> payload) {
        boolean answered() {
            return payload != null;
        }
    }

    /** One request-reply exchange. {@code replyFrom} is the agent's id, or null for "anyone but us". */
    record Request(
            String channelId, Map<String, Object> joinPayload, String clientMessageId, String messageServerId,
            JSONObject envelope, String replyFrom, long connectTimeout, long ackTimeout, long replyTimeout) {
    }

    private final ElizaConnection connection;
    private final Map<String, Lane> lanes = new HashMap<>();

    ElizaReplyTracker(ElizaConnection connection) {
        this.connection = connection;
    }

    /**
     * Queues the request in its channel's lane. The future completes with the reply, or fails with the send's error,
     * with a {@link TimeoutException} when no ack arrives in time, or with a {@link ReplyTimeoutException} when no
     * reply does.
     */
    CompletableFuture<Reply> request(Request request) {
        Pending pending = new Pending(request);
        Lane lane;
        synchronized (lanes) {
            lane = lanes.computeIfAbsent(request.channelId(), id -> new Lane(id, request.joinPayload()));
            lane.queue.add(pending);
        }
        // however the request ends, its lane moves on to the next one
        pending.result.whenComplete((reply, error) -> lane.advance(pending));
        lane.startNextIfIdle();
        return pending.result;
    }

    /** No reply within replyTimeout (as opposed to no ack within ackTimeout). */
    static final class ReplyTimeoutException extends TimeoutException {
        private static final long serialVersionUID = 1L;

        ReplyTimeoutException(String message) {
            super(message);
        }
    }

    private static final class Pending {
        final Request request;
        final CompletableFuture<Reply> result = new CompletableFuture<>();
        volatile Map<String, Object> ack;

        Pending(Request request) {
            this.request = request;
        }
    }

    private final class Lane implements ElizaConnection.ChannelListener {
        final String channelId;
        final Map<String, Object> joinPayload;
        final Queue<Pending> queue = new ArrayDeque<>(); // guarded by lanes
        Pending current; // guarded by lanes
        boolean subscribed; // guarded by lanes
        CompletableFuture<Void> joined; // guarded by lanes

        Lane(String channelId, Map<String, Object> joinPayload) {
            this.channelId = channelId;
            this.joinPayload = joinPayload;
        }

        void startNextIfIdle() {
            Pending next;
            CompletableFuture<Void> join;
            synchronized (lanes) {
                if (current != null) {
                    return;
                }
                next = queue.poll();
                if (next == null) {
                    // idle: stop listening; the next request joins again
                    if (subscribed) {
                        connection.unsubscribe(channelId, this);
                        subscribed = false;
                    }
                    lanes.remove(channelId, this);
                    return;
                }
                current = next;
                if (!subscribed) {
                    joined = connection.subscribe(channelId, joinPayload, this);
                    subscribed = true;
                }
                join = joined;
            }
            run(next, join);
        }

        private void run(Pending pending, CompletableFuture<Void> join) {
            Request r = pending.request;
            // we must be in the room before the agent answers, or the answer never reaches us
            connection.awaitConnected(r.connectTimeout())
                    .thenCompose(v -> join.copy().orTimeout(r.connectTimeout(), TimeUnit.MILLISECONDS))
                    .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                            ElizaConnection.unwrap(e) instanceof TimeoutException
                                    ? new ElizaConnectionException("The Eliza server did not confirm joining channel "
                                                                   + channelId + " within " + r.connectTimeout()
                                                                   + " ms")
                                    : ElizaConnection.unwrap(e)))
                    .thenCompose(v -> connection.send(r.clientMessageId(), r.messageServerId(), r.envelope(),
                            r.ackTimeout(), ack -> onAcked(pending, ack)))
                    .whenComplete((ack, error) -> {
                        if (error != null) {
                            pending.result.completeExceptionally(ElizaConnection.unwrap(error));
                        }
                    });
        }

        /** On the event thread, before any later event: from now on the agent's next message is the reply. */
        private void onAcked(Pending pending, Map<String, Object> ack) {
            pending.ack = ack;
            Request r = pending.request;
            CompletableFuture.delayedExecutor(r.replyTimeout(), TimeUnit.MILLISECONDS).execute(
                    () -> pending.result.completeExceptionally(new ReplyTimeoutException(
                            "No reply from the agent in channel " + channelId + " within " + r.replyTimeout()
                                                                                         + " ms after the server acknowledged message "
                                                                                         + r.clientMessageId())));
        }

        void advance(Pending finished) {
            synchronized (lanes) {
                if (current != finished) {
                    return;
                }
                current = null;
            }
            startNextIfIdle();
        }

        @Override
        public void onEvent(String event, Map<String, Object> payload) {
            Pending pending;
            synchronized (lanes) {
                pending = current;
            }
            if (pending == null || pending.ack == null || pending.result.isDone()) {
                return;
            }
            // messages name their sender senderId; stream events name the agent agentId
            String sender = ElizaProtocol.string(payload, payload.containsKey("senderId") ? "senderId" : "agentId");
            if (ElizaEvents.MESSAGE_BROADCAST.equals(event) && isReplySender(pending.request, sender)) {
                pending.result.complete(new Reply(pending.ack, payload));
            } else if (ElizaEvents.MESSAGE_COMPLETE.equals(event)) {
                // elizaOS 1.4 and older: the agent's turn ended; with no answer before it, there is none
                pending.result.complete(new Reply(pending.ack, null));
            } else if (ElizaEvents.MESSAGE_STREAM_ERROR.equals(event) && isReplySender(pending.request, sender)) {
                pending.result.completeExceptionally(new ElizaException(
                        "The agent's streamed reply failed: " + ElizaProtocol.string(payload, "error")
                                                                        + " (partial text: "
                                                                        + ElizaProtocol.string(payload, "partialText")
                                                                        + ")"));
            }
        }

        private boolean isReplySender(Request request, String sender) {
            if (sender == null) {
                return false;
            }
            if (request.replyFrom() != null) {
                return request.replyFrom().equalsIgnoreCase(sender);
            }
            return !sender.equalsIgnoreCase(connection.getKey().getEntityId());
        }

        @Override
        public void onMalformedEvent(String event, Exception cause) {
            // the consumers of the channel report it; a request keeps waiting for a readable reply
        }
    }
}
