package org.cameleliza.component.eliza.reply;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import org.cameleliza.component.eliza.ElizaRateLimitedException;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads agent messages back over REST for the {@link ElizaReplyTracker}, where the broadcast alone cannot tell which
 * request a message answers (see {@link ElizaChannelWatch}), and after a reconnect, when a reply may have been
 * broadcast while nobody listened. While the server's rate limit is spent no read is made: an agent message is then
 * matched by position, and a stored reply is looked for once the server allows requests again. Confined to the
 * connection's thread, as the tracker.
 */
final class ElizaReplyReader {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaReplyReader.class);
    /** How many of a channel's newest stored messages are searched for a reply that was just broadcast. */
    private static final int RECENT = 25;
    /** A reply is broadcast right after it is stored; if the lookup misses it, it is read again after these delays. */
    private static final long[] LOOKUP_RETRIES = { 100, 400, 1500 };
    private static final int READS_WITHOUT_ANSWER_ID = 3;

    private final ElizaReplyTracker tracker;
    private final ElizaReplyTracker.Context context;
    // per channel: agent messages being read over REST, and the turn ends that wait for them
    private final Map<String, Integer> identifying = new HashMap<>();
    // read-backs in a row that found the agent message stored without what it answers
    private int readsWithoutAnswerId;
    private final Map<String, ArrayDeque<String>> deferredTurnEnds = new HashMap<>();

    ElizaReplyReader(ElizaReplyTracker tracker, ElizaReplyTracker.Context context) {
        this.tracker = tracker;
        this.context = context;
    }

    /**
     * elizaOS 1.4 and older: a turn of the channel ended while one of its answers is still being read back. That answer
     * goes first; the end is handled once the read is done.
     *
     * @return whether the turn end was deferred
     */
    boolean defersTurnEnd(String channelId, String ended) {
        if (identifying.getOrDefault(channelId, 0) > 0) {
            deferredTurnEnds.computeIfAbsent(channelId, id -> new ArrayDeque<>()).add(String.valueOf(ended));
            return true;
        }
        return false;
    }

    /** Reads the stored agent message to learn which request it answers, then completes that request. */
    void identify(String channelId, Map<String, Object> payload, String sender, int attempt) {
        String inReplyTo = ElizaProtocol.inReplyTo(payload);
        String messageId = ElizaProtocol.string(payload, "id");
        if (inReplyTo != null || messageId == null) {
            tracker.match(channelId, payload, sender, inReplyTo);
            return;
        }
        if (attempt == 0) {
            identifying.merge(channelId, 1, Integer::sum);
        }
        context.rest().findRecent(channelId, messageId, RECENT).whenComplete((stored, error) -> {
            if (error != null) {
                Throwable cause = ElizaConnection.unwrap(error);
                if (cause instanceof ElizaRateLimitedException) {
                    // the pause was reported once, when the server answered 429
                    LOG.debug("Matching agent message {} of channel {} by position: {}", messageId, channelId,
                            cause.getMessage());
                } else {
                    LOG.warn("Cannot read agent message {} of channel {} to match it to its request ({}); matching by"
                             + " position", messageId, channelId, cause.getMessage());
                }
                tracker.match(channelId, payload, sender, null);
            } else if (stored.isEmpty() && attempt < LOOKUP_RETRIES.length) {
                context.schedule(() -> identify(channelId, payload, sender, attempt + 1), LOOKUP_RETRIES[attempt]);
                return;
            } else {
                String answers = stored.map(ElizaProtocol::inReplyTo).orElse(null);
                if (stored.isPresent()) {
                    learnWhetherRepliesAreIdentified(answers != null);
                }
                tracker.match(channelId, payload, sender, answers);
            }
            identified(channelId);
        });
    }

    /**
     * Whether reading an agent message back can tell what it answers: elizaOS 1.6 and 1.7 under data isolation store
     * none of it, and then every read is spent for a match by position anyway. After
     * {@link #READS_WITHOUT_ANSWER_ID} read-backs in a row found none, no more are made on this connection.
     */
    private void learnWhetherRepliesAreIdentified(boolean found) {
        if (found) {
            readsWithoutAnswerId = 0;
        } else if (++readsWithoutAnswerId == READS_WITHOUT_ANSWER_ID) {
            LOG.info("The Eliza server does not record which message its agents' messages answer (as under data"
                     + " isolation): replies on this connection are matched by position, without reading them back");
        }
    }

    /** Whether a read-back can still tell what an agent message answers (see learnWhetherRepliesAreIdentified). */
    boolean identifies() {
        return readsWithoutAnswerId < READS_WITHOUT_ANSWER_ID;
    }

    /** One lookup of the channel ended: turn ends that waited for it are handled now. */
    private void identified(String channelId) {
        if (identifying.merge(channelId, -1, Integer::sum) > 0) {
            return;
        }
        identifying.remove(channelId);
        ArrayDeque<String> ends = deferredTurnEnds.remove(channelId);
        while (ends != null && !ends.isEmpty()) {
            tracker.onTurnEnded(channelId, ends.poll());
        }
    }

    /**
     * Reads what the channel stored after the waiter's request: a reply broadcast before we could hear it (while
     * joining, or while the socket was down) is there. A failed read is tried again; the broadcast may still come.
     */
    void lookForStoredReply(ElizaReplyTracker.Waiter waiter, int attempt) {
        context.rest().messagesAnswering(waiter.channelId, waiter.requestId)
                .whenComplete((stored, error) -> {
                    long paused = context.rest().budget().pausedForMillis();
                    if (error == null) {
                        takeStoredReply(waiter, stored);
                    } else if (paused > 0) {
                        // the server's rate limit is spent: read once it allows again, if still waiting by then
                        LOG.debug("Looking for a stored reply to message {} of channel {} in {} ms: {}",
                                waiter.requestId, waiter.channelId, paused,
                                ElizaConnection.unwrap(error).getMessage());
                        context.schedule(() -> {
                            if (tracker.isWaiting(waiter)) {
                                lookForStoredReply(waiter, attempt);
                            }
                        }, paused);
                    } else if (attempt < LOOKUP_RETRIES.length) {
                        context.schedule(() -> {
                            if (tracker.isWaiting(waiter)) {
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

    private void takeStoredReply(ElizaReplyTracker.Waiter waiter, ElizaRestClient.Answers stored) {
        for (Map<String, Object> message : stored.after()) {
            if (waiter.requestId.equals(ElizaProtocol.inReplyTo(message))
                    && tracker.waitsFor(waiter, ElizaProtocol.string(message, "authorId"))) {
                tracker.watch(waiter.channelId).identified(waiter.othersAtSend);
                tracker.complete(waiter, ElizaProtocol.fromStoredMessage(message));
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
            if (!tracker.isWaiting(waiter)) {
                return;
            }
            if (ElizaProtocol.inReplyTo(message) == null && author != null
                    && !author.equalsIgnoreCase(context.entityId())) {
                tracker.match(waiter.channelId, ElizaProtocol.fromStoredMessage(message), author, null);
            }
        }
    }
}
