package org.cameleliza.component.eliza.reply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.cameleliza.component.eliza.ElizaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaRequestLanesTest {

    private final ExecutorService workers = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void aRunningRequestThatNeverEndsIsGivenUpAfterItsDeadlineAndTheLaneMovesOn() throws Exception {
        ElizaRequestLanes lanes = new ElizaRequestLanes(workers, timer, 10);
        long deadline = System.currentTimeMillis() + 100;
        // a request whose reply timer was lost: its future never completes
        CompletableFuture<String> stuck = lanes.submit("lane", deadline, 50, CompletableFuture::new,
                () -> new ElizaException("expired"));
        CompletableFuture<String> next = lanes.submit("lane", System.currentTimeMillis() + 60_000, 50,
                () -> CompletableFuture.completedFuture("answered"), () -> new ElizaException("expired"));

        assertThatThrownBy(() -> stuck.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ElizaException.class)
                .hasMessageContaining("did not end by its deadline");
        assertThat(next.get(30, TimeUnit.SECONDS)).isEqualTo("answered");
        assertThat(lanes.depths()).isEmpty();
    }

    @Test
    void aRequestEndingAfterItWasGivenUpDoesNotMoveTheLaneTwice() throws Exception {
        ElizaRequestLanes lanes = new ElizaRequestLanes(workers, timer, 10);
        CompletableFuture<String> late = new CompletableFuture<>();
        CompletableFuture<String> first = lanes.submit("lane", System.currentTimeMillis(), 50, () -> late,
                () -> new ElizaException("expired"));
        assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasMessageContaining("did not end by its deadline");

        CompletableFuture<String> running = new CompletableFuture<>();
        CompletableFuture<String> second = lanes.submit("lane", System.currentTimeMillis() + 60_000, 50, () -> running,
                () -> new ElizaException("expired"));
        CompletableFuture<String> third = lanes.submit("lane", System.currentTimeMillis() + 60_000, 50,
                () -> CompletableFuture.completedFuture("third"), () -> new ElizaException("expired"));
        // the first request's future completes now, long after the lane gave up on it
        late.complete("too late");

        assertThat(first).isCompletedExceptionally();
        assertThat(third).as("still behind the second, which runs").isNotDone();
        assertThat(lanes.depths()).containsEntry("lane", 1);
        running.complete("second");
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(third.get(30, TimeUnit.SECONDS)).isEqualTo("third");
    }
}
