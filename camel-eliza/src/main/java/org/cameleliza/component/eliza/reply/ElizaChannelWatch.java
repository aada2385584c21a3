package org.cameleliza.component.eliza.reply;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a connection heard in a channel it asks agents in, to tell whether the agent's next message can only answer the
 * one request waiting there. If so it is matched by position, with no REST request; if it might answer something else,
 * it is read back over REST, where the server stored what it answers. Position could be wrong when:
 * <ul>
 * <li>the channel is not <em>settled</em>: what was said in it before we listened is unknown (a new watch, a
 * reconnect), or someone else wrote in it (another user, another application, a one-way send of ours) since an answer
 * was last identified. It settles when an answer read back over REST turns out to answer its request, with nobody else
 * writing meanwhile;</li>
 * <li>an earlier request of the channel ended without its answer (timed out, or failed with its connection) less than
 * {@link #ORPHAN_WINDOW_MILLIS} ago, unless that answer came since: it may still come;</li>
 * <li>two requests wait for the same agent there (see the tracker).</li>
 * </ul>
 * All of it holds only on servers whose agents drop an answer once a newer message arrived in the room (elizaOS 1.7):
 * on older lines an agent may still post for an earlier message (a second message of its turn) while the next request
 * waits, and every agent message is read back (see {@code ElizaReplyTracker}). Confined to the connection's thread.
 */
final class ElizaChannelWatch {

    /** How long an answer to a request that ended without it is expected to be still possible. */
    static final long ORPHAN_WINDOW_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final int MAX_REMEMBERED = 200;

    private boolean settled;
    private long othersMessages;
    // client message id of our requests being sent (their broadcast comes before their ack) -> othersMessages then
    private final Map<String, Long> sending = bounded();
    // request id -> until when (System.nanoTime()) its late answer is expected possible
    private final Map<String, Long> orphans = bounded();

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_REMEMBERED;
            }
        };
    }

    /** A request of ours is about to be sent with this client message id: its broadcast is not someone else's. */
    void sending(String clientMessageId) {
        sending.put(clientMessageId, othersMessages);
    }

    /**
     * How many messages of others had been heard when the request with this client message id was sent; the current
     * count when it is not known.
     */
    long othersMessagesAtSend(String clientMessageId) {
        Long at = clientMessageId != null ? sending.remove(clientMessageId) : null;
        return at != null ? at : othersMessages;
    }

    /** A message that is not an agent's answer was broadcast in the channel. */
    void onUserMessage(String clientMessageId) {
        if (clientMessageId == null || !sending.containsKey(clientMessageId)) {
            othersMessages++;
            settled = false;
        }
    }

    /**
     * Messages may have been said that we did not hear (a reconnect, a request sent before we listened): as if someone
     * else had written, so that no request sent before can settle the channel.
     */
    void unsettle() {
        othersMessages++;
        settled = false;
    }

    /**
     * An agent message read back over REST answers the request sent when {@code othersAtSend} messages of others had
     * been heard: with none since, everything said in the channel is accounted for.
     */
    void identified(long othersAtSend) {
        if (othersMessages == othersAtSend) {
            settled = true;
        }
    }

    boolean isSettled() {
        return settled;
    }

    /**
     * Whether the agent's next message can only answer the one request waiting for that agent: the channel is settled,
     * no orphan's answer may still come, and exactly one request waits ({@code waitingForSender}).
     */
    boolean allowsPosition(int waitingForSender) {
        return waitingForSender == 1 && settled && !hasOrphans();
    }

    /** A request ended without its answer, which may still come. */
    void orphan(String requestId) {
        if (requestId != null) {
            orphans.put(requestId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ORPHAN_WINDOW_MILLIS));
        }
    }

    /** An agent message answers this message: if it was an orphan's, that answer came. */
    void answered(String requestId) {
        orphans.remove(requestId);
    }

    /** Whether an answer to a request that ended without it may still come. */
    boolean hasOrphans() {
        long now = System.nanoTime();
        for (Iterator<Long> it = orphans.values().iterator(); it.hasNext();) {
            if (it.next() - now <= 0) {
                it.remove();
            }
        }
        return !orphans.isEmpty();
    }
}
