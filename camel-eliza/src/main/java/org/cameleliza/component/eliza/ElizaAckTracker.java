package org.cameleliza.component.eliza;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The messages a connection sent and the server has not acknowledged yet, in send order, and the matching of the
 * server's answers to them: a messageAck names its message (clientMessageId); a messageError names none. Confined to
 * the connection's thread: no locks.
 */
final class ElizaAckTracker {

    private record Pending(
            String clientMessageId, String messageServerId, CompletableFuture<Map<String, Object>> ack, Future<?> timer) {
    }

    // insertion order is send order: used to attribute a messageError
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    void add(
            String clientMessageId, String messageServerId, CompletableFuture<Map<String, Object>> ack, Future<?> timer) {
        pending.put(clientMessageId, new Pending(clientMessageId, messageServerId, ack, timer));
    }

    int size() {
        return pending.size();
    }

    /**
     * Completes the send the ack names.
     *
     * @return false when no pending send has that id (unknown, or already timed out)
     */
    boolean acknowledge(String clientMessageId, Map<String, Object> payload) {
        Pending acked = clientMessageId != null ? pending.remove(clientMessageId) : null;
        if (acked == null) {
            return false;
        }
        acked.timer().cancel(false);
        acked.ack().complete(payload);
        return true;
    }

    /** Fails one send, as when its ack did not arrive in time or it could not be emitted. */
    void fail(String clientMessageId, Exception cause) {
        Pending failed = pending.remove(clientMessageId);
        if (failed != null) {
            failed.timer().cancel(false);
            failed.ack().completeExceptionally(cause);
        }
    }

    /**
     * Fails the send a messageError most likely answers: the one whose message server id the error names, else the
     * oldest unacknowledged one (the server handles a socket's packets in order). Invalid input is refused before it
     * is sent, so such errors are rare.
     *
     * @return false when nothing was pending
     */
    boolean reject(String error) {
        Pending culprit = null;
        for (Pending candidate : pending.values()) {
            if (candidate.messageServerId() != null && error.contains(candidate.messageServerId())) {
                culprit = candidate;
                break;
            }
        }
        if (culprit == null) {
            Iterator<Pending> oldest = pending.values().iterator();
            culprit = oldest.hasNext() ? oldest.next() : null;
        }
        if (culprit == null) {
            return false;
        }
        fail(culprit.clientMessageId(), new ElizaMessageRejectedException(
                "The Eliza server rejected message " + culprit.clientMessageId() + ": " + error));
        return true;
    }

    /** Fails every pending send, as when the connection drops or closes. */
    void failAll(Exception cause) {
        List<Pending> failed = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : failed) {
            p.timer().cancel(false);
            p.ack().completeExceptionally(cause);
        }
    }
}
