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
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of a connection that wait for an agent's reply, and the matching of agent messages to them. elizaOS
 * stores an agent's reply with the id of the message it answers ({@code inReplyToRootMessageId}); the broadcast does
 * not carry it, so the stored message is read over REST and a reply is accepted only by the request it answers. A
 * reply stored without that id (elizaOS 1.6 and 1.7 under data isolation store none) falls back to position: the
 * oldest waiting request of the channel. An agent message is handed to one request only, whether it arrived as a
 * broadcast or was read back over REST. Confined to the connection's thread: no locks.
 */
public final class ElizaReplyTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaReplyTracker.class);
    /** How many of a channel's newest stored messages are searched for a reply that was just broadcast. */
    private static final int RECENT = 25;
    /** A reply is broadcast right after it is stored; if the lookup misses it, it is read again after these delays. */
    private static final long[] LOOKUP_RETRIES = { 100, 400, 1500 };
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
    }

    private static final class Waiter {
        final String channelId;
        final String requestId;
        final String agentId;
        final boolean exact;
        final Map<String, Object> ack;
        final CompletableFuture<Reply> result;
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
    // per channel: agent messages being read over REST, and the turn ends that wait for them
    private final Map<String, Integer> identifying = new HashMap<>();
    private final Map<String, ArrayDeque<String>> deferredTurnEnds = new HashMap<>();
    // elizaOS 1.4 and older: per channel, the messages whose agent turn has not ended yet, oldest first. Their
    // messageComplete names neither the agent nor the message, but turns end in the order messages arrived
    private final Map<String, ArrayDeque<String>> openTurns = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<String>> eldest) {
            return size() > MAX_TRACKED_CHANNELS;
        }
    };

    public ElizaReplyTracker(Context context) {
        this.context = context;
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
        waiting.computeIfAbsent(channelId, id -> new ArrayList<>()).add(waiter);
        waiter.timer = context.schedule(() -> {
            if (remove(waiter)) {
                result.completeExceptionally(new ReplyTimeoutException(
                        "No reply from the agent in channel " + channelId + " to message " + requestId));
            }
        }, Math.max(0, timeoutMillis));
        if (lookBack) {
            lookForStoredReply(waiter, 0);
        }
    }

    /** A server event of a channel the connection has joined. */
    public void onEvent(String channelId, String event, Map<String, Object> payload) {
        if (ElizaEvents.MESSAGE_BROADCAST.equals(event) && !AGENT_RESPONSE.equals(payload.get("source"))) {
            ArrayDeque<String> turns = openTurns.computeIfAbsent(channelId, id -> new ArrayDeque<>());
            turns.add(String.valueOf(payload.get("id")));
            if (turns.size() > MAX_OPEN_TURNS) {
                turns.poll();
            }
        } else if (ElizaEvents.MESSAGE_COMPLETE.equals(event)) {
            ArrayDeque<String> turns = openTurns.get(channelId);
            String ended = turns != null ? turns.poll() : null;
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
                if (channel.stream().anyMatch(w -> w.exact && waitsFor(w, sender))) {
                    identify(channelId, payload, sender, 0);
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

    /**
     * elizaOS 1.4 and older: the agent's turn on message {@code ended} is over (its answers were broadcast before).
     * A request still waiting for it got no answer.
     */
    private void onTurnEnded(String channelId, String ended) {
        if (identifying.getOrDefault(channelId, 0) > 0) {
            // an answer of that turn is still being read over REST: it goes first
            deferredTurnEnds.computeIfAbsent(channelId, id -> new ArrayDeque<>()).add(String.valueOf(ended));
            return;
        }
        for (Waiter waiter : new ArrayList<>(waiting.getOrDefault(channelId, List.of()))) {
            if (waiter.requestId != null && waiter.requestId.equals(ended)) {
                complete(waiter, null);
            }
        }
    }

    /** Reads the stored agent message to learn which request it answers, then completes that request. */
    private void identify(String channelId, Map<String, Object> payload, String sender, int attempt) {
        String inReplyTo = ElizaProtocol.inReplyTo(payload);
        String messageId = ElizaProtocol.string(payload, "id");
        if (inReplyTo != null || messageId == null) {
            match(channelId, payload, sender, inReplyTo);
            return;
        }
        if (attempt == 0) {
            identifying.merge(channelId, 1, Integer::sum);
        }
        context.rest().findRecent(channelId, messageId, RECENT).whenComplete((stored, error) -> {
            if (error != null) {
                LOG.warn("Cannot read agent message {} of channel {} to match it to its request ({}); matching by"
                         + " position", messageId, channelId, ElizaConnection.unwrap(error).getMessage());
                match(channelId, payload, sender, null);
            } else if (stored.isEmpty() && attempt < LOOKUP_RETRIES.length) {
                context.schedule(() -> identify(channelId, payload, sender, attempt + 1), LOOKUP_RETRIES[attempt]);
                return;
            } else {
                match(channelId, payload, sender, stored.map(ElizaProtocol::inReplyTo).orElse(null));
            }
            identified(channelId);
        });
    }

    /** One lookup of the channel ended: turn ends that waited for it are handled now. */
    private void identified(String channelId) {
        if (identifying.merge(channelId, -1, Integer::sum) > 0) {
            return;
        }
        identifying.remove(channelId);
        ArrayDeque<String> ends = deferredTurnEnds.remove(channelId);
        while (ends != null && !ends.isEmpty()) {
            onTurnEnded(channelId, ends.poll());
        }
    }

    private void match(String channelId, Map<String, Object> payload, String sender, String inReplyTo) {
        if (inReplyTo == null) {
            // the server does not say what the message answers: the oldest request waiting for this agent
            Waiter oldest = oldestFor(channelId, sender);
            if (oldest != null) {
                complete(oldest, payload);
            }
            return;
        }
        for (Waiter waiter : waiting.getOrDefault(channelId, List.of())) {
            if (inReplyTo.equals(waiter.requestId) && waitsFor(waiter, sender)) {
                complete(waiter, payload);
                return;
            }
        }
        LOG.debug("Agent message {} in channel {} answers message {}, which no request waits for",
                ElizaProtocol.string(payload, "id"), channelId, inReplyTo);
    }

    /** After a reconnect: a reply may have been broadcast while the socket was down. */
    public void onReconnected() {
        waiting.values().forEach(list -> new ArrayList<>(list).forEach(w -> lookForStoredReply(w, 0)));
    }

    /**
     * Reads what the channel stored after the waiter's request: a reply broadcast before we could hear it (while
     * joining, or while the socket was down) is there. A failed read is tried again; the broadcast may still come.
     */
    private void lookForStoredReply(Waiter waiter, int attempt) {
        context.rest().messagesAnswering(waiter.channelId, waiter.requestId)
                .whenComplete((stored, error) -> {
                    if (error == null) {
                        takeStoredReply(waiter, stored);
                    } else if (attempt < LOOKUP_RETRIES.length) {
                        context.schedule(() -> {
                            if (isWaiting(waiter)) {
                                lookForStoredReply(waiter, attempt + 1);
                            }
                        }, LOOKUP_RETRIES[attempt]);
                    } else {
                        LOG.warn("Cannot look for a stored reply to message {} of channel {} ({}); waiting for its"
                                 + " broadcast until the reply timeout", waiter.requestId, waiter.channelId,
                                ElizaConnection.unwrap(error).getMessage());
                    }
                });
    }

    private void takeStoredReply(Waiter waiter, ElizaRestClient.Answers stored) {
        for (Map<String, Object> message : stored.after()) {
            if (waiter.requestId.equals(ElizaProtocol.inReplyTo(message))
                    && waitsFor(waiter, ElizaProtocol.string(message, "authorId"))) {
                complete(waiter, ElizaProtocol.fromStoredMessage(message));
                return;
            }
        }
        if (!stored.found()) {
            // the request is further back than the search reaches: what follows it is unknown, so nothing is taken by
            // its place
            return;
        }
        // stored without the id of what they answer: by position, as if their broadcasts were arriving now
        for (Map<String, Object> message : stored.after()) {
            String author = ElizaProtocol.string(message, "authorId");
            if (!isWaiting(waiter)) {
                return;
            }
            if (ElizaProtocol.inReplyTo(message) == null && author != null
                    && !author.equalsIgnoreCase(context.entityId())) {
                match(waiter.channelId, ElizaProtocol.fromStoredMessage(message), author, null);
            }
        }
    }

    private boolean isWaiting(Waiter waiter) {
        return waiting.getOrDefault(waiter.channelId, List.of()).contains(waiter);
    }

    /** Fails every waiting request, as when the connection closes or is refused. */
    public void failAll(Exception cause) {
        List<Waiter> all = new ArrayList<>();
        waiting.values().forEach(all::addAll);
        waiting.clear();
        for (Waiter waiter : all) {
            waiter.timer.cancel(false);
            waiter.result.completeExceptionally(cause);
        }
    }

    private void complete(Waiter waiter, Map<String, Object> payload) {
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

    private boolean waitsFor(Waiter waiter, String sender) {
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
