package org.cameleliza.component.eliza.connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.socket.thread.EventThread;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread a connection's state lives on: Socket.IO's event thread, where the client decodes every packet and calls
 * every listener. Running the connection's work there too spares each event a hand-off to another thread (a wake-up,
 * and on a machine with few cores a context switch), which was the larger part of what the component cost per message.
 * Tasks run in the order they were handed in, one at a time, as on a single-threaded executor.
 * <p>
 * This class is the one way onto that thread: {@link #execute} (refused once closed), {@link #submit} (dropped once
 * closed) and {@link #call} (a future, failed once closed) for work, {@link #run} for what must run there even then,
 * {@link #runAndWait} for such work a closing connection waits for, {@link #schedule} for timers. Nothing else in
 * the component runs work on Socket.IO's {@code EventThread}; each open loop keeps that thread alive
 * ({@link ElizaEventThreadKeeper}).
 * <p>
 * The event thread is one per JVM and runs every connection's I/O, so nothing here may block: what can (route code, an
 * idempotent repository) runs on the consumer's or the producer's own threads. Timers wait on a scheduler thread of
 * their own and run their task on the event thread; a timer cancelled on the event thread before its task ran never
 * runs it, even if it was already due.
 */
public final class ElizaEventLoop implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaEventLoop.class);

    /** How long a connect waits for a token read before it goes on with the token read last. */
    static final long BLOCKING_WORK_TIMEOUT_MILLIS = 10_000;

    private final CamelContext camelContext;
    private final Object source;
    private final String name;
    private final ScheduledExecutorService timers;
    // the connection's blocking work (token reads), created on first use; guarded by this
    private ExecutorService blockingWork;
    // whether this loop still keeps Socket.IO's thread alive (ElizaEventThreadKeeper); guarded by this
    private boolean holdsEventThread;
    private volatile boolean closed;

    ElizaEventLoop(CamelContext camelContext, Object source, String name) {
        this.camelContext = camelContext;
        this.source = source;
        this.name = name;
        ThreadPoolProfile profile = new ThreadPoolProfile("ElizaConnection");
        profile.setPoolSize(1);
        // for a scheduled pool Camel reads a size of 0 or less as "no bound"
        profile.setMaxQueueSize(-1);
        this.timers = camelContext.getExecutorServiceManager().newScheduledThreadPool(source, name, profile);
        if (timers instanceof SizedScheduledExecutorService) {
            ScheduledThreadPoolExecutor pool
                    = ((SizedScheduledExecutorService) timers).getScheduledThreadPoolExecutor();
            // once closed, pending timers are dropped: whatever they guard was failed by the connection's close
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            // a cancelled timer (a join's or a reply's) leaves the queue at once, not when it would have been due
            pool.setRemoveOnCancelPolicy(true);
        }
        ElizaEventThreadKeeper.hold();
        holdsEventThread = true;
    }

    /** Whether the caller runs on the loop. */
    static boolean isCurrent() {
        return EventThread.isCurrent();
    }

    /**
     * Queues the task behind those handed in before, also when called on the loop itself.
     *
     * @throws RejectedExecutionException once the loop is closed
     */
    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("The connection is closed");
        }
        EventThread.nextTick(task);
    }

    /**
     * Queues the task, as {@link #execute}, but drops it once the loop is closed, and logs what it throws rather than
     * let it reach Socket.IO's thread.
     */
    public void submit(Runnable task) {
        try {
            execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Unexpected error on an Eliza connection", e);
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.trace("The connection is closed: task dropped");
        }
    }

    /**
     * Runs {@code action} on the loop with a future it completes, and returns that future; fails it with
     * {@code closedError} when the loop is closed, or {@code closed} says so when the action's turn comes.
     */
    <T> CompletableFuture<T> call(Consumer<CompletableFuture<T>> action, BooleanSupplier closed,
                                  Supplier<? extends Exception> closedError) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            execute(() -> {
                if (closed.getAsBoolean()) {
                    result.completeExceptionally(closedError.get());
                    return;
                }
                try {
                    action.accept(result);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closedError.get());
        }
        return result;
    }

    /**
     * Runs the task on the loop: at once when called there, else queued behind what was handed in before. Never
     * refuses, also once the loop is closed: for Socket.IO's own calls (an emit, closing the socket), which must run on
     * its thread, and for completions that must still run there after the close (a REST answer), where the state
     * they touch is confined.
     */
    public void run(Runnable task) {
        EventThread.exec(task);
    }

    /**
     * Runs the task on the loop, as {@link #run}, and waits until it ran, at most {@code timeoutMillis} (the loop is
     * every connection's, and a stop must not hang on it): for what must have happened on Socket.IO's thread before
     * the caller goes on, such as the socket's close before the HTTP client under it is released. Logs what the task
     * throws. Never on the loop for a task that waits for the loop itself.
     */
    void runAndWait(Runnable task, long timeoutMillis) {
        CountDownLatch ran = new CountDownLatch(1);
        run(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("A task of an Eliza connection failed", e);
            } finally {
                ran.countDown();
            }
        });
        try {
            if (!ran.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                LOG.debug("{}: Socket.IO's thread did not run the task within {} ms", name, timeoutMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the task on the loop after the delay.
     *
     * @throws RejectedExecutionException once the loop is closed
     */
    Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
        if (closed) {
            throw new RejectedExecutionException("The connection is closed");
        }
        Timer timer = new Timer(task);
        timer.wakeUp = timers.schedule(() -> {
            if (!closed && !timer.isCancelled()) {
                EventThread.nextTick(timer);
            }
        }, delay, unit);
        return timer;
    }

    /**
     * Runs blocking work of this connection (reading a token file, calling a token supplier) on a thread of its own,
     * never on the loop (Socket.IO's thread carries every connection's I/O), then {@code then} on the loop: once the
     * work is done, or after {@link #BLOCKING_WORK_TIMEOUT_MILLIS} if it hangs (a vault that does not answer), so that
     * the connection goes on with what it had. Once closed, neither runs.
     */
    void offLoop(Runnable blocking, Runnable then) {
        ExecutorService executor = blockingWork();
        if (executor == null) {
            return;
        }
        CompletableFuture<Void> work;
        try {
            work = CompletableFuture.runAsync(() -> {
                try {
                    blocking.run();
                } catch (RuntimeException e) {
                    LOG.warn("A task of an Eliza connection failed", e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            return;
        }
        work.completeOnTimeout(null, BLOCKING_WORK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            if (!closed) {
                EventThread.nextTick(() -> {
                    try {
                        then.run();
                    } catch (RuntimeException failure) {
                        LOG.warn("A task of an Eliza connection failed", failure);
                    }
                });
            }
        });
    }

    private synchronized ExecutorService blockingWork() {
        if (closed) {
            return null;
        }
        if (blockingWork == null) {
            blockingWork = camelContext.getExecutorServiceManager().newSingleThreadExecutor(source, name + " tokens");
        }
        return blockingWork;
    }

    /** Refuses new tasks and drops pending timers; tasks already queued still run, and find their connection closed. */
    void close() {
        closed = true;
        camelContext.getExecutorServiceManager().shutdownNow(timers);
        synchronized (this) {
            if (blockingWork != null) {
                camelContext.getExecutorServiceManager().shutdownNow(blockingWork);
            }
            if (holdsEventThread) {
                holdsEventThread = false;
                ElizaEventThreadKeeper.release();
            }
        }
    }

    /** A timer's task; FutureTask makes a cancel before it runs final, whichever thread cancels. */
    private static final class Timer extends FutureTask<Void> {
        private volatile ScheduledFuture<?> wakeUp;

        Timer(Runnable task) {
            super(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("A timer of an Eliza connection failed", e);
                }
            }, null);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            ScheduledFuture<?> scheduled = wakeUp;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            return super.cancel(false);
        }
    }
}
