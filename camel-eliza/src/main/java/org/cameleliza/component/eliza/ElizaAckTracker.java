package org.cameleliza.component.eliza;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The messages a connection sent and the server has not acknowledged yet, in send order, and the matching of the
 * server's answers to them: a messageAck names its message (clientMessageId); a messageError names none.
 */
final class ElizaAckTracker {

    // insertion order is send order: used to attribute a messageError
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    synchronized void add(
            String clientMessageId, String messageServerId, CompletableFuture<Map<String, Object>> ack,
            Consumer<Map<String, Object>> onAck) {
        pending.put(clientMessageId, new Pending(clientMessageId, messageServerId, ack, onAck));
    }

    synchronized void remove(String clientMessageId) {
        pending.remove(clientMessageId);
    }

    /**
     * Completes the send the ack names, after running its onAck hook on the calling (event) thread.
     *
     * @return false when no pending send has that id (unknown, or already timed out)
     */
    boolean acknowledge(String clientMessageId, Map<String, Object> payload) {
        Pending acked;
        synchronized (this) {
            acked = clientMessageId != null ? pending.remove(clientMessageId) : null;
        }
        if (acked == null) {
            return false;
        }
        if (acked.onAck != null) {
            acked.onAck.accept(payload);
        }
        acked.ack.complete(payload);
        return true;
    }

    /**
     * Fails the send a messageError most likely answers: the one whose message server id the error names, else the
     * oldest unacknowledged one (the server handles a socket's packets in order). Invalid input is refused before it
     * is sent, so such errors are rare.
     *
     * @return false when nothing was pending
     */
    boolean reject(String error) {
        Pending culprit = takeCulprit(error);
        if (culprit == null) {
            return false;
        }
        culprit.ack.completeExceptionally(new ElizaMessageRejectedException(
                "The Eliza server rejected message " + culprit.clientMessageId + ": " + error));
        return true;
    }

    private synchronized Pending takeCulprit(String error) {
        Iterator<Pending> it = pending.values().iterator();
        Pending oldest = null;
        while (it.hasNext()) {
            Pending candidate = it.next();
            if (oldest == null) {
                oldest = candidate;
            }
            if (candidate.messageServerId != null && error.contains(candidate.messageServerId)) {
                it.remove();
                return candidate;
            }
        }
        if (oldest != null) {
            pending.remove(oldest.clientMessageId);
        }
        return oldest;
    }

    /** Fails every pending send, as when the connection drops or closes. */
    void failAll(Exception cause) {
        List<Pending> failed;
        synchronized (this) {
            failed = new ArrayList<>(pending.values());
            pending.clear();
        }
        failed.forEach(p -> p.ack.completeExceptionally(cause));
    }

    private record Pending(
            String clientMessageId, String messageServerId, CompletableFuture<Map<String, Object>> ack,
            Consumer<Map<String, Object>> onAck) {
    }
}
