package org.cameleliza.component.eliza.connection;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.socket.thread.EventThread;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaEventLoopTest {

    private CamelContext context;
    private ElizaEventLoop loop;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
        loop = new ElizaEventLoop(context, this, "ElizaEventLoopTest");
    }

    @AfterEach
    void stop() {
        loop.close();
        context.stop();
    }

    @Test
    void tasksRunOnSocketIosThreadInTheOrderTheyCameAlsoWhenQueuedFromThere() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> onEventThread = new CompletableFuture<>();
        CountDownLatch secondQueued = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            onEventThread.complete(ElizaEventLoop.isCurrent() && EventThread.isCurrent());
            try {
                secondQueued.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // queued behind what is already queued, not run inline
            loop.execute(() -> {
                ran.add("queued from the loop");
                done.countDown();
            });
            ran.add("first");
        });
        loop.execute(() -> ran.add("second"));
        secondQueued.countDown();

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(onEventThread.get()).isTrue();
        assertThat(ran).containsExactly("first", "second", "queued from the loop");
    }

    @Test
    void aTimerRunsItsTaskOnTheLoop() throws Exception {
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();

        loop.schedule(() -> onLoop.complete(ElizaEventLoop.isCurrent()), 10, TimeUnit.MILLISECONDS);

        assertThat(onLoop.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTimerCancelledOnTheLoopBeforeItsTaskRanNeverRunsIt() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch after = new CountDownLatch(1);
        loop.execute(() -> {
            Future<?> timer = loop.schedule(() -> ran.add("timer"), 0, TimeUnit.MILLISECONDS);
            // the timer falls due while the loop is busy with this task: its task waits, queued, behind this one
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer.cancel(false);
            loop.execute(after::countDown);
        });

        assertThat(after.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void aClosedLoopRefusesWorkAndDropsItsTimers() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        loop.schedule(() -> ran.add("timer"), 50, TimeUnit.MILLISECONDS);

        loop.close();

        assertThatThrownBy(() -> loop.execute(() -> ran.add("task"))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> loop.schedule(() -> ran.add("timer"), 0, TimeUnit.MILLISECONDS))
                .isInstanceOf(RejectedExecutionException.class);
        // whatever was handed to Socket.IO's thread before this runs before this
        CountDownLatch drained = new CountDownLatch(1);
        EventThread.nextTick(drained::countDown);
        assertThat(drained.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void socketIosThreadLivesWhileALoopIsOpenAndEndsAfterTheLastOneClosed() throws Exception {
        assertThat(ElizaEventThreadKeeper.isAvailable()).as("io.socket's counter is reachable").isTrue();
        Thread first = threadOf(loop);
        // the queue ran dry in between: io.socket alone would have ended the thread
        Thread.sleep(50);
        assertThat(threadOf(loop)).isSameAs(first);
        ElizaEventLoop second = new ElizaEventLoop(context, this, "second");
        loop.close();
        assertThat(threadOf(second)).as("still held by the second loop").isSameAs(first);
        second.close();
        first.join(10_000);
        assertThat(first.isAlive()).as("ended once nothing holds it").isFalse();
    }

    private static Thread threadOf(ElizaEventLoop loop) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        loop.execute(() -> thread.complete(Thread.currentThread()));
        return thread.get(10, TimeUnit.SECONDS);
    }
}
