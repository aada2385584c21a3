package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;

/**
 * The messages a connection sent and the server has not acknowledged yet, in send order, and the matching of the
 * server's answers to them: a messageAck names its message (clientMessageId); a messageError names none.
 * <p>
 * Used on the connection's thread, on Socket.IO's for the acks of one-way sends ({@link #acknowledgeNow}), which
 * complete there without waiting for the connection's thread, and on producers' threads, which register one-way sends:
 * hence the lock, taken briefly and never while a future completes (what depends on it runs outside).
 * <p>
 * Ack timeouts are deadlines, checked by a sweep the connection runs when the earliest one is due ({@link #sweep}),
 * not a timer per message: scheduling and cancelling a timer for every message wakes the connection's thread twice
 * per message for nothing.
 */
public final class ElizaAckTracker {

    /** {@code ordered}: its ack must be handled on the connection's thread, in order with the server's events. */
    private record Pending(
            String clientMessageId, String messageServerId, CompletableFuture<Map<String, Object>> ack,
            long deadlineNanos, long timeoutMillis, boolean ordered) {
    }

    // insertion order is send order
    private static final long MAX_TIMEOUT_NANOS = TimeUnit.DAYS.toNanos(365);

    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** Schedules a sweep in that many nanoseconds, on the connection's thread. */
    private final LongConsumer scheduleSweep;
    /** Whether a sweep is scheduled, and when the earliest will run (System.nanoTime(): compared by subtraction). */
    private boolean sweepScheduled;
    private long nextSweepNanos;

    ElizaAckTracker(LongConsumer scheduleSweep) {
        this.scheduleSweep = scheduleSweep;
    }

    /**
     * Registers a send, right before its emit. A send whose client message id is already waiting for its ack is refused
     * (its future fails at once with {@link ElizaInvalidMessageException}, the first send is left as it is): the
     * server's ack names only the client message id, so the two could not be told apart, and one of them would never
     * complete.
     *
     * @return false when the send was refused: it must not be emitted
     */
    boolean add(
            String clientMessageId, String messageServerId, CompletableFuture<Map<String, Object>> ack, long timeoutMillis,
            boolean ordered) {
        // bounded, so that the deadline cannot wrap around (an ackTimeout of Long.MAX_VALUE means "never", near enough)
        long deadline = System.nanoTime() + Math.min(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), MAX_TIMEOUT_NANOS);
        boolean schedule = false;
        boolean refused;
        synchronized (this) {
            refused = pending.containsKey(clientMessageId);
            if (!refused) {
                pending.put(clientMessageId, new Pending(clientMessageId, messageServerId, ack, deadline, timeoutMillis,
                        ordered));
                // a sweep due before this deadline finds it, or schedules the next one for it
                schedule = !sweepScheduled || deadline - nextSweepNanos < 0;
                if (schedule) {
                    sweepScheduled = true;
                    nextSweepNanos = deadline;
                }
            }
        }
        if (refused) {
            // outside the lock, as every completion: what depends on the future runs now
            ack.completeExceptionally(new ElizaInvalidMessageException(
                    "Message " + clientMessageId + " was not sent: a message with that client id is still waiting for"
                                                                       + " its ack from the Eliza server on this"
                                                                       + " connection (each message needs a client"
                                                                       + " message id of its own)"));
            return false;
        }
        if (schedule) {
            scheduleSweep.accept(deadline - System.nanoTime());
        }
        return true;
    }

    synchronized int size() {
        return pending.size();
    }

    /**
     * Fails the sends whose ack is overdue, and schedules the next sweep for the earliest deadline left. Runs on the
     * connection's thread.
     */
    void sweep() {
        long now = System.nanoTime();
        List<Pending> overdue = new ArrayList<>();
        boolean more = false;
        long next = 0;
        synchronized (this) {
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
                Pending p = it.next();
                if (p.deadlineNanos() - now <= 0) {
                    overdue.add(p);
                    it.remove();
                } else if (!more || p.deadlineNanos() - next < 0) {
                    more = true;
                    next = p.deadlineNanos();
                }
            }
            sweepScheduled = more;
            nextSweepNanos = next;
        }
        if (more) {
            scheduleSweep.accept(next - now);
        }
        for (Pending p : overdue) {
            p.ack().completeExceptionally(new TimeoutException(
                    "No acknowledgement from the Eliza server within " + p.timeoutMillis() + " ms"));
        }
    }

    /**
     * Completes the send the ack names, on the calling thread (Socket.IO's), unless the send wants its ack handled in
     * order with the server's events (a request, whose reply must not overtake it).
     *
     * @return false when the ack is for the connection's thread to handle
     */
    boolean acknowledgeNow(String clientMessageId, Map<String, Object> payload) {
        Pending acked;
        synchronized (this) {
            acked = clientMessageId != null ? pending.get(clientMessageId) : null;
            if (acked == null || acked.ordered()) {
                return false;
            }
            pending.remove(clientMessageId);
        }
        acked.ack().complete(payload);
        return true;
    }

    /**
     * Completes the send the ack names.
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
        acked.ack().complete(payload);
        return true;
    }

    /** Fails one send, as when it could not be emitted. */
    void fail(String clientMessageId, Exception cause) {
        Pending failed;
        synchronized (this) {
            failed = pending.remove(clientMessageId);
        }
        if (failed != null) {
            failed.ack().completeExceptionally(cause);
        }
    }

    /**
     * Fails the send a messageError names by its message server id. An error that names none is not attributed: the
     * server does not say which packet it answers, and failing a guess (say the oldest unacknowledged send) would fail
     * a message the server may well have stored, while the real culprit still waits for its ack or times out. The
     * caller reports such an error instead (a WARN, and a messageError event to the connection's consumers).
     *
     * @return false when no pending send is named
     */
    boolean reject(String error) {
        Pending culprit = removeCulprit(error);
        if (culprit == null) {
            return false;
        }
        culprit.ack().completeExceptionally(new ElizaMessageRejectedException(
                "The Eliza server rejected message " + culprit.clientMessageId() + ": " + error));
        return true;
    }

    /** Picks and removes in one step: an ack completing meanwhile must not leave the error with nobody. */
    private synchronized Pending removeCulprit(String error) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
            Pending candidate = it.next();
            if (candidate.messageServerId() != null && error.contains(candidate.messageServerId())) {
                it.remove();
                return candidate;
            }
        }
        return null;
    }

    /** Fails every pending send, as when the connection drops or closes. */
    void failAll(Exception cause) {
        List<Pending> failed;
        synchronized (this) {
            failed = new ArrayList<>(pending.values());
            pending.clear();
        }
        for (Pending p : failed) {
            p.ack().completeExceptionally(cause);
        }
    }
}
