package org.cameleliza.component.eliza.reply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of a connection that wait for an agent's reply, and the matching of agent messages to them. The agent's
 * next message in the channel is the reply, by position, wherever nothing else could pass for it (see
 * {@link ElizaChannelWatch}): no REST request in the steady state, where elizaOS 1.7 allows a client address 1000 per 15
 * minutes, its agents' own included. Where something else could (someone else's message, a request that timed out,
 * two requests waiting), exact matching reads the agent's message back over REST: elizaOS stores a reply with the id of
 * the message it answers ({@code inReplyToRootMessageId}), which the broadcast does not carry, and a reply is accepted
 * only by the request it answers. A reply stored without that id (elizaOS 1.6 and 1.7 under data isolation store none),
 * or one that cannot be read back (the server's rate limit is spent), falls back to position: the oldest waiting request
 * of the channel. An agent message is handed to one request only, whether it arrived as a broadcast or was read back
 * over REST. Confined to the connection's thread: no locks.
 */
public final class ElizaReplyTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaReplyTracker.class);
    private static final int MAX_TRACKED_CHANNELS = 1000;
    private static final String AGENT_RESPONSE = "agent_response";
    private static final int MAX_OPEN_TURNS = 200;
    private static final int MAX_CLAIMED = 1000;

    /** The outcome of a request: the reply payload, or none when the agent finished without answering. */
    public record Reply(Map<String, Object> ack, Map<String, Object> payload) {
        public boolean answered() {
            return payload != null;
        }
    }

    /** No reply within replyTimeout (as opposed to no ack within ackTimeout). */
    public static final class ReplyTimeoutException extends TimeoutException {
        private static final long serialVersionUID = 1L;

        public ReplyTimeoutException(String message) {
            super(message);
        }
    }

    /** What the tracker needs from its connection. */
    public interface Context {
        Future<?> schedule(Runnable task, long delayMillis);

        ElizaRestClient rest();

        String entityId();

        /**
         * Whether the server's agents drop an answer once a newer message arrived in the room (elizaOS 1.7 and later):
         * the agent's next message then cannot belong to an earlier message's turn. False while the line is unknown.
         */
        boolean dropsSupersededAnswers();
    }

    static final class Waiter {
        final String channelId;
        final String requestId;
        final String agentId;
        final boolean exact;
        final Map<String, Object> ack;
        final CompletableFuture<Reply> result;
        long othersAtSend;
        Future<?> timer;

        Waiter(String channelId, String requestId, String agentId, boolean exact, Map<String, Object> ack,
               CompletableFuture<Reply> result) {
            this.channelId = channelId;
            this.requestId = requestId;
            this.agentId = agentId;
            this.exact = exact;
            this.ack = ack;
            this.result = result;
        }
    }

    private final Context context;
    private final Map<String, List<Waiter>> waiting = new HashMap<>();
    // the agent messages already handed to a request: a reply read over REST may still arrive as a broadcast
    private final Set<Object> claimed = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
            return size() > MAX_CLAIMED;
        }
    });
    // elizaOS 1.4 and older: per channel, the messages whose agent turn has not ended yet, oldest first. Their
    // messageComplete names neither the agent nor the message, but turns end in the order messages arrived
    private final Map<String, ArrayDeque<String>> openTurns = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<String>> eldest) {
            return size() > MAX_TRACKED_CHANNELS;
        }
    };
    // the channels requests were sent to, while the connection listens to them (see ElizaRequestReply's lingering)
    private final Map<String, ElizaChannelWatch> watches = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ElizaChannelWatch> eldest) {
            return size() > MAX_TRACKED_CHANNELS;
        }
    };

    private final ElizaReplyReader reader;
    private final ElizaStreamTracker streams;

    public ElizaReplyTracker(Context context) {
        this.context = context;
        this.reader = new ElizaReplyReader(this, context);
        this.streams = new ElizaStreamTracker(context::entityId);
    }

    /** The streamed requests of the connection (the streaming option), fed by the same events. */
    public ElizaStreamTracker streams() {
        return streams;
    }

    public int size() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Waits for the reply to the stored message {@code requestId} (the server's id, from its ack) of a channel, from
     * {@code agentId} (null: anyone but us), for at most {@code timeoutMillis}. When {@code lookBack} is set, replies
     * the server already stored are taken first (a redelivery of a request that was sent before).
     */
    public void await(String channelId, String requestId, String agentId, boolean exact, Map<String, Object> ack,
               long timeoutMillis, boolean lookBack, CompletableFuture<Reply> result) {
        Waiter waiter = new Waiter(channelId, requestId, agentId, exact, ack, result);
        ElizaChannelWatch watch = watch(channelId);
        waiter.othersAtSend = watch.othersMessagesAtSend(ElizaProtocol.string(ack, "clientMessageId"));
        if (lookBack) {
            // sent before the channel was heard (a redelivery, a join after the send): its answer cannot settle it
            watch.unsettle();
        }
        waiting.computeIfAbsent(channelId, id -> new ArrayList<>()).add(waiter);
        waiter.timer = context.schedule(() -> {
            if (remove(waiter)) {
                // its answer may still come, and must not pass for a later request's
                watch(channelId).orphan(requestId);
                result.completeExceptionally(new ReplyTimeoutException(
                        "No reply from the agent in channel " + channelId + " to message " + requestId));
            }
        }, Math.max(0, timeoutMillis));
        if (lookBack) {
            reader.lookForStoredReply(waiter, 0);
        }
    }

    /**
     * A request is about to be sent to a channel the connection listens to (joined): its broadcast, which comes before
     * its ack, is ours, not someone else's.
     */
    public void sending(String channelId, String clientMessageId) {
        watch(channelId).sending(clientMessageId);
    }

    /**
     * A request was sent, but its ack did not come (timed out, or the connection dropped): it may be stored, and its
     * answer may still come. Position is not trusted in its channel for the orphan window.
     */
    public void unacknowledged(String channelId, String clientMessageId) {
        ElizaChannelWatch watch = watch(channelId);
        watch.othersMessagesAtSend(clientMessageId);
        watch.unsettle();
        watch.orphan("client message " + clientMessageId);
    }

    /** The connection stops listening to the channel: what is said there from now on is not heard. */
    public void forget(String channelId) {
        if (!waiting.containsKey(channelId)) {
            watches.remove(channelId);
        }
    }

    ElizaChannelWatch watch(String channelId) {
        return watches.computeIfAbsent(channelId, id -> new ElizaChannelWatch());
    }

    /** A server event of a channel the connection has joined. */
    public void onEvent(String channelId, String event, Map<String, Object> payload) {
        streams.onEvent(channelId, event, payload);
        ElizaChannelWatch watch = watches.get(channelId);
        if (ElizaEvents.MESSAGE_BROADCAST.equals(event) && !AGENT_RESPONSE.equals(payload.get("source"))) {
            ArrayDeque<String> turns = openTurns.computeIfAbsent(channelId, id -> new ArrayDeque<>());
            turns.add(String.valueOf(payload.get("id")));
            if (turns.size() > MAX_OPEN_TURNS) {
                turns.poll();
            }
            if (watch != null) {
                watch.onUserMessage(ElizaProtocol.string(payload, "clientMessageId"));
            }
        } else if (ElizaEvents.MESSAGE_COMPLETE.equals(event)) {
            ArrayDeque<String> turns = openTurns.get(channelId);
            String ended = turns != null ? turns.poll() : null;
            if (watch != null && ended != null) {
                // an orphan's turn is over: its answer will not come any more
                watch.answered(ended);
            }
            onTurnEnded(channelId, ended);
            return;
        }
        List<Waiter> channel = waiting.get(channelId);
        if (channel == null || channel.isEmpty()) {
            return;
        }
        String sender = ElizaProtocol.string(payload, payload.containsKey("senderId") ? "senderId" : "agentId");
        if (ElizaEvents.MESSAGE_BROADCAST.equals(event)) {
            if (claimed.contains(payload.get("id"))) {
                // read over REST before its broadcast arrived, and handed to its request then
                return;
            }
            if (sender != null && !sender.equalsIgnoreCase(context.entityId()) && anyWaitsFor(channel, sender)) {
                if (channel.stream().anyMatch(w -> w.exact && waitsFor(w, sender)) && reader.identifies()
                        && !positionIsSafe(channelId, channel, sender)) {
                    reader.identify(channelId, payload, sender, 0);
                } else {
                    match(channelId, payload, sender, null);
                }
            }
        } else if (ElizaEvents.MESSAGE_STREAM_ERROR.equals(event)) {
            Waiter oldest = oldestFor(channelId, sender);
            if (oldest != null && remove(oldest)) {
                oldest.timer.cancel(false);
                oldest.result.completeExceptionally(new ElizaException(
                        "The agent's streamed reply failed: " + ElizaProtocol.string(payload, "error")
                                                                       + " (partial text: "
                                                                       + ElizaProtocol.string(payload, "partialText") + ")"));
            }
        }
    }

    /** Whether the agent message from {@code sender} can only answer the one request waiting for it. */
    private boolean positionIsSafe(String channelId, List<Waiter> channel, String sender) {
        ElizaChannelWatch watch = watches.get(channelId);
        int waitingForSender = (int) channel.stream().filter(w -> waitsFor(w, sender)).count();
        return context.dropsSupersededAnswers() && watch != null && watch.allowsPosition(waitingForSender);
    }

    /**
     * elizaOS 1.4 and older: the agent's turn on message {@code ended} is over (its answers were broadcast before).
     * A request still waiting for it got no answer.
     */
    void onTurnEnded(String channelId, String ended) {
        if (reader.defersTurnEnd(channelId, ended)) {
            return;
        }
        for (Waiter waiter : new ArrayList<>(waiting.getOrDefault(channelId, List.of()))) {
            if (waiter.requestId != null && waiter.requestId.equals(ended)) {
                complete(waiter, null);
            }
        }
    }

    void match(String channelId, Map<String, Object> payload, String sender, String inReplyTo) {
        if (inReplyTo == null) {
            // the server does not say what the message answers: the oldest request waiting for this agent
            Waiter oldest = oldestFor(channelId, sender);
            if (oldest != null) {
                complete(oldest, payload);
            }
            return;
        }
        ElizaChannelWatch watch = watch(channelId);
        watch.answered(inReplyTo);
        for (Waiter waiter : waiting.getOrDefault(channelId, List.of())) {
            if (inReplyTo.equals(waiter.requestId) && waitsFor(waiter, sender)) {
                watch.identified(waiter.othersAtSend);
                complete(waiter, payload);
                return;
            }
        }
        LOG.debug("Agent message {} in channel {} answers message {}, which no request waits for",
                ElizaProtocol.string(payload, "id"), channelId, inReplyTo);
    }

    /** After a reconnect: a reply may have been broadcast while the socket was down. */
    public void onReconnected() {
        watches.values().forEach(ElizaChannelWatch::unsettle);
        waiting.values().forEach(list -> new ArrayList<>(list).forEach(w -> reader.lookForStoredReply(w, 0)));
    }

    boolean isWaiting(Waiter waiter) {
        return waiting.getOrDefault(waiter.channelId, List.of()).contains(waiter);
    }

    /** Fails every waiting request, as when the connection closes or is refused. */
    public void failAll(Exception cause) {
        List<Waiter> all = new ArrayList<>();
        waiting.values().forEach(all::addAll);
        waiting.clear();
        for (Waiter waiter : all) {
            watch(waiter.channelId).orphan(waiter.requestId);
            waiter.timer.cancel(false);
            waiter.result.completeExceptionally(cause);
        }
    }

    void complete(Waiter waiter, Map<String, Object> payload) {
        Object id = payload != null ? payload.get("id") : null;
        if (id != null && claimed.contains(id)) {
            // handed to another request already (read over REST by one, heard or identified by the other)
            return;
        }
        if (remove(waiter)) {
            if (id != null) {
                claimed.add(id);
            }
            waiter.timer.cancel(false);
            waiter.result.complete(new Reply(waiter.ack, payload));
        }
    }

    private boolean anyWaitsFor(List<Waiter> channel, String sender) {
        return channel.stream().anyMatch(w -> waitsFor(w, sender));
    }

    boolean waitsFor(Waiter waiter, String sender) {
        if (sender == null) {
            return false;
        }
        return waiter.agentId != null
                ? waiter.agentId.equalsIgnoreCase(sender) : !sender.equalsIgnoreCase(context.entityId());
    }

    /** The oldest request of a channel waiting for {@code sender}; none when the event names no sender. */
    private Waiter oldestFor(String channelId, String sender) {
        for (Waiter waiter : waiting.getOrDefault(channelId, List.of())) {
            if (waitsFor(waiter, sender)) {
                return waiter;
            }
        }
        return null;
    }

    private boolean remove(Waiter waiter) {
        List<Waiter> channel = waiting.get(waiter.channelId);
        if (channel == null) {
            return false;
        }
        for (Iterator<Waiter> it = channel.iterator(); it.hasNext();) {
            if (it.next() == waiter) {
                it.remove();
                if (channel.isEmpty()) {
                    waiting.remove(waiter.channelId);
                }
                return true;
            }
        }
        return false;
    }
}
