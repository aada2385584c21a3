package org.cameleliza.component.eliza.connection;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders and paces the REST reads a connection's consumers make to recover what they missed: after a reconnect, a
 * resume or a restart, and on a first start to learn where a channel stands. elizaOS 1.7 has no read of what changed
 * across channels, only each channel's own history, so learning whether a channel missed anything costs a request per
 * channel, from a budget of 1,000 per 15 minutes per client address that the server's own agents spend too. Rejoining
 * is Socket.IO's and costs nothing; the reads wait their turn:
 * <ul>
 * <li>a channel where a message arrives while its read waits is read at once ({@link Ticket#promote}), without
 * counting against the pace: its messages flow, so a gap is likely there and wanted now (the consumer holds the new
 * messages until the read is done, so the missed ones come first);</li>
 * <li>otherwise the reads go as the server's {@link Pace} allows: a burst at once, then so many per minute. Reads
 * queued within {@link #SETTLE_MILLIS} of each other (the joins a reconnect confirms one by one) are ordered before
 * the first goes: a gap still waiting from an earlier reconnect first, then the channels whose last message is the
 * most recent, since a busy channel is more likely to have missed something than one quiet for days;</li>
 * <li>a first start's read of where a channel stands goes last (a message arriving makes it needless).</li>
 * </ul>
 * While the server's rate limit is spent (it answered 429) only promoted reads go, and fail at once without a request.
 * Confined to the connection's thread, except {@link #describe()}.
 */
public final class ElizaRecoveryQueue {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaRecoveryQueue.class);
    /** How long reads queued one after the other are gathered before the first goes, and the longest such wait. */
    static final long SETTLE_MILLIS = 100;
    static final long MAX_SETTLE_MILLIS = 1_000;

    /** How soon a read goes, most urgent first. */
    public enum Urgency {
        /** Now, whatever the pace: the channel is active. */
        NOW,
        /** A gap that may hold messages, by the channel's last activity. */
        GAP,
        /** Where a channel stands on a first start. */
        POSITION
    }

    /**
     * How many reads a server allows the component: {@code burst} at once, then {@code perMinute}. Shared by the
     * connections of a component to one server, whose budget is per client address. Any thread.
     */
    public static final class Pace {
        private final int burst;
        private final int perMinute;
        private final double perMilli;
        private final LongSupplier clock;
        private double tokens;
        private long refilledAt;

        public Pace(int burst, int perMinute) {
            this(burst, perMinute, () -> System.nanoTime() / 1_000_000);
        }

        Pace(int burst, int perMinute, LongSupplier clock) {
            if (burst < 1 || perMinute < 1) {
                throw new IllegalArgumentException(
                        "gapRecoveryBurst and gapRecoveryReadsPerMinute must be 1 or more, but were: " + burst + " and "
                                                   + perMinute);
            }
            this.burst = burst;
            this.perMinute = perMinute;
            this.perMilli = perMinute / 60_000.0;
            this.clock = clock;
            this.tokens = burst;
            this.refilledAt = clock.getAsLong();
        }

        /** Takes a read's turn when there is one. */
        synchronized boolean tryTake() {
            refill();
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        /** How long until the next turn; 0 when there is one now. */
        synchronized long millisUntilNext() {
            refill();
            return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMilli);
        }

        private void refill() {
            long now = clock.getAsLong();
            tokens = Math.min(burst, tokens + (now - refilledAt) * perMilli);
            refilledAt = now;
        }
    }

    /** What the queue needs from its connection. */
    interface Loop {
        /** Runs the task on the connection's thread, behind what is queued there; drops it once closed. */
        void execute(Runnable task);

        /** Runs the task on the connection's thread after the delay. */
        Future<?> schedule(Runnable task, long delayMillis);

        /** How long the server's rate limit keeps REST paused, from now; 0 when it does not. */
        long restPausedForMillis();

        /** For logs. */
        String describe();
    }

    /** A read waiting for its turn. */
    public final class Ticket {
        private Urgency urgency;
        private final boolean waitedBefore;
        private final long lastActivity;
        private final long seq;
        private final Runnable read;
        // taken: its turn came (the read is queued on the connection's thread); cancelled: it must not run
        private boolean taken;
        private boolean cancelled;

        private Ticket(Urgency urgency, boolean waitedBefore, long lastActivity, long seq, Runnable read) {
            this.urgency = urgency;
            this.waitedBefore = waitedBefore;
            this.lastActivity = lastActivity;
            this.seq = seq;
            this.read = read;
        }

        /** The channel became active: its read goes now. */
        public void promote() {
            if (taken || cancelled || urgency == Urgency.NOW) {
                return;
            }
            queue.remove(this);
            urgency = Urgency.NOW;
            queue.add(this);
            drain();
        }

        /** The read is no longer needed (the consumer stopped, or a newer read covers it). */
        public void cancel() {
            cancelled = true;
            if (!taken) {
                queue.remove(this);
                waitingCount = queue.size();
            }
        }

        /** Whether the read still waits for its turn. */
        public boolean isWaiting() {
            return !taken && !cancelled;
        }

        private void run() {
            if (!cancelled) {
                read.run();
            }
        }
    }

    // most urgent first; then a gap left from before; then the most recently active channel; then first come
    private static final Comparator<Ticket> ORDER = Comparator.<Ticket, Urgency> comparing(t -> t.urgency)
            .thenComparing(t -> !t.waitedBefore)
            .thenComparing(Comparator.comparingLong((Ticket t) -> t.lastActivity).reversed())
            .thenComparingLong(t -> t.seq);

    private final Pace pace;
    private final Loop loop;
    private final LongSupplier clock;
    private final PriorityQueue<Ticket> queue = new PriorityQueue<>(ORDER);
    private long seq;
    private Future<?> wakeUp;
    private long wakeUpAt = Long.MAX_VALUE;
    // reads queued meanwhile are ordered before the first goes (-1: not settling)
    private long settleFrom = -1;
    private long settleUntil = -1;
    private boolean backlogLogged;
    // for readers on other threads (dev console); written on the connection's thread only
    private volatile int waitingCount;
    private volatile long started;
    private volatile long startedAtOnce;

    ElizaRecoveryQueue(Pace pace, Loop loop, LongSupplier clock) {
        this.pace = pace;
        this.loop = loop;
        this.clock = clock;
    }

    /**
     * Queues a read; it runs on the connection's thread when its turn comes, unless cancelled before.
     *
     * @param waitedBefore the channel's gap waited for a read before (an earlier reconnect, a failed read): it goes
     *                     before the fresh ones, so that quiet channels are read even when the connection drops more
     *                     often than the pace reads them all
     * @param lastActivity when the channel's newest message was created (epoch ms; -1: none seen)
     */
    public Ticket enqueue(Urgency urgency, boolean waitedBefore, long lastActivity, Runnable read) {
        Ticket ticket = new Ticket(urgency, waitedBefore, lastActivity, seq++, read);
        queue.add(ticket);
        if (urgency != Urgency.NOW) {
            long now = clock.getAsLong();
            if (settleFrom < 0) {
                settleFrom = now;
            }
            settleUntil = Math.min(now + SETTLE_MILLIS, settleFrom + MAX_SETTLE_MILLIS);
        }
        drain();
        return ticket;
    }

    private void drain() {
        long now = clock.getAsLong();
        while (!queue.isEmpty()) {
            Ticket next = queue.peek();
            if (next.urgency == Urgency.NOW) {
                // an active channel's read is not held back, and does not count against the pace
                startedAtOnce++;
            } else {
                long wait = now < settleUntil ? settleUntil - now : loop.restPausedForMillis();
                if (wait == 0 && !pace.tryTake()) {
                    wait = Math.max(1, pace.millisUntilNext());
                    logBacklog();
                }
                if (wait > 0) {
                    wakeUpIn(now, wait);
                    break;
                }
                settleFrom = -1;
            }
            queue.poll();
            started++;
            next.taken = true;
            loop.execute(next::run);
        }
        if (queue.isEmpty()) {
            backlogLogged = false;
        }
        waitingCount = queue.size();
    }

    /** Once per backlog: thousands of channels may wait for their turn, and the operator should know how long. */
    private void logBacklog() {
        if (!backlogLogged && queue.size() > 1) {
            backlogLogged = true;
            long minutes = Math.max(1, Math.round((double) queue.size() / pace.perMinute));
            LOG.info("{} gap recovery reads of {} wait for their turn: at {} per minute the last goes in about {} min"
                     + " (a channel where a message arrives is read at once)", queue.size(), loop.describe(),
                    pace.perMinute, minutes);
        }
    }

    private void wakeUpIn(long now, long delayMillis) {
        long at = now + delayMillis;
        if (wakeUp != null && !wakeUp.isDone() && wakeUpAt <= at) {
            return;
        }
        if (wakeUp != null) {
            wakeUp.cancel(false);
        }
        wakeUpAt = at;
        wakeUp = loop.schedule(() -> {
            wakeUp = null;
            wakeUpAt = Long.MAX_VALUE;
            drain();
        }, delayMillis);
    }

    /**
     * For the dev console. Any thread: the counters may be a moment old. A read started while the server's rate limit
     * was spent failed at once, without a request.
     */
    Map<String, Object> describe() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("gapReadsWaiting", waitingCount);
        info.put("gapReadsStarted", started);
        info.put("gapReadsStartedAtOnce", startedAtOnce);
        return info;
    }
}
