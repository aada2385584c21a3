package org.cameleliza.component.eliza.reply;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.connection.ElizaConnection;

/**
 * Request-reply lanes: the requests to one channel of one server run one at a time, whichever entity sends them.
 * elizaOS 1.7 discards an agent's answer when a newer message arrives in the room while the agent is thinking, so two
 * requests in flight in one channel would cost one of them its answer; requests in different channels run in parallel.
 * A lane holds at most {@code capacity} waiting requests, and a request whose deadline passes while it waits leaves the
 * lane at once, never sent. The running request has a deadline of its own too: should it not end by its deadline and
 * the overrun it was given (as long as its connect, join and ack may take; its reply timer lost with a closing
 * connection, say), it fails and the lane moves on, so that no request can hold its channel for the life of the
 * application. Nothing blocks a thread: a lane moves on, on the worker executor, when its current request
 * completes; no future is completed while the lock is held.
 */
public final class ElizaRequestLanes {

    private static final class Entry {
        final CompletableFuture<?> result;
        Runnable start;
        // whether the request ended (completed, or given up by the lane): the lane moves on once per entry
        final AtomicBoolean ended = new AtomicBoolean();
        Future<?> deadline;

        Entry(CompletableFuture<?> result) {
            this.result = result;
        }
    }

    private static final class Lane {
        final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    }

    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final int capacity;
    // a lane exists while a request of it runs; guarded by this
    private final Map<String, Lane> lanes = new HashMap<>();

    public ElizaRequestLanes(Executor executor, ScheduledExecutorService timer, int capacity) {
        this.executor = executor;
        this.timer = timer;
        this.capacity = capacity;
    }

    /**
     * Runs {@code request} once every earlier request of the lane has completed, and completes with its outcome. Fails
     * at once when the lane already holds {@code capacity} waiting requests, and with {@code expired} when
     * {@code deadlineMillis} (epoch ms) passes before its turn; once running, it is given up {@code overrunMillis}
     * after its deadline if it has not ended by then.
     */
    public <T> CompletableFuture<T> submit(
            String lane, long deadlineMillis, long overrunMillis, Supplier<CompletableFuture<T>> request,
            Supplier<Exception> expired) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Entry entry = new Entry(result);
        entry.start = () -> {
            Future<?> overrun = schedule(() -> {
                if (entry.ended.compareAndSet(false, true)) {
                    moveOn(lane);
                    result.completeExceptionally(new ElizaException(
                            "The request-reply exchange to channel " + lane + " did not end by its deadline (and "
                                                                    + overrunMillis + " ms more): given up, and the"
                                                                    + " requests behind it go on"));
                }
            }, deadlineMillis + overrunMillis - System.currentTimeMillis());
            CompletableFuture<T> outcome;
            try {
                outcome = request.get();
            } catch (RuntimeException e) {
                outcome = CompletableFuture.failedFuture(e);
            }
            outcome.whenComplete((value, error) -> {
                if (!entry.ended.compareAndSet(false, true)) {
                    return;
                }
                overrun.cancel(false);
                moveOn(lane);
                if (error != null) {
                    result.completeExceptionally(ElizaConnection.unwrap(error));
                } else {
                    result.complete(value);
                }
            });
        };
        boolean runNow;
        synchronized (this) {
            Lane current = lanes.get(lane);
            if (current == null) {
                lanes.put(lane, new Lane());
                runNow = true;
            } else if (current.waiting.size() >= capacity) {
                return CompletableFuture.failedFuture(new ElizaException(
                        "More than maxQueuedRequests (" + capacity + ") request-reply exchanges wait for channel "
                                                                         + lane + "; this one was not sent"));
            } else {
                current.waiting.add(entry);
                runNow = false;
                entry.deadline = schedule(() -> expire(lane, entry, expired), deadlineMillis - System.currentTimeMillis());
            }
        }
        if (runNow) {
            entry.start.run();
        }
        return result;
    }

    private Future<?> schedule(Runnable task, long delayMillis) {
        try {
            return timer.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the component is stopping: the request's own deadline check applies when its turn comes
            return CompletableFuture.completedFuture(null);
        }
    }

    private void expire(String lane, Entry entry, Supplier<Exception> expired) {
        boolean removed;
        synchronized (this) {
            Lane current = lanes.get(lane);
            removed = current != null && current.waiting.remove(entry);
        }
        if (removed) {
            entry.result.completeExceptionally(expired.get());
        }
    }

    private void moveOn(String lane) {
        Entry next;
        synchronized (this) {
            Lane current = lanes.get(lane);
            next = current != null ? current.waiting.poll() : null;
            if (next == null) {
                lanes.remove(lane);
                return;
            }
        }
        next.deadline.cancel(false);
        try {
            // never on the thread that completed the previous request (it may be a connection's thread)
            executor.execute(next.start);
        } catch (RejectedExecutionException stopping) {
            next.start.run();
        }
    }

    /** For the dev console: lane to number of waiting requests (the running one not counted). */
    public synchronized Map<String, Integer> depths() {
        Map<String, Integer> depths = new LinkedHashMap<>();
        lanes.forEach((lane, l) -> depths.put(lane, l.waiting.size()));
        return depths;
    }
}
