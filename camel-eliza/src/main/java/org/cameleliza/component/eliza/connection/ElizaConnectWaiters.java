package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who waits for a connection to come up: callers that wait through failed attempts until it is up or their timeout
 * passes (an exchange), and callers that wait for the outcome of the current attempt only (a route start that need
 * not wait for a server that is down). Confined to the connection's thread, as its {@link ElizaConnectionLifecycle}.
 */
final class ElizaConnectWaiters {

    private final List<CompletableFuture<Void>> untilUp = new ArrayList<>();
    private final List<CompletableFuture<Void>> forAttempt = new ArrayList<>();

    /** Waits until the connection is up; {@link #remove} when its time is up. */
    void untilUp(CompletableFuture<Void> waiter) {
        untilUp.add(waiter);
    }

    /** Waits for the outcome of the current attempt; {@link #remove} when its time is up. */
    void forAttempt(CompletableFuture<Void> waiter) {
        forAttempt.add(waiter);
    }

    /** Whether the waiter was still waiting: its timeout may fail it. */
    boolean remove(CompletableFuture<Void> waiter) {
        return untilUp.remove(waiter) | forAttempt.remove(waiter);
    }

    /** The connection is up: every waiter completes. */
    void up() {
        completeAll(untilUp, null);
        completeAll(forAttempt, null);
    }

    /** An attempt failed: those waiting for it fail; those waiting until it is up wait on. */
    void attemptFailed(Exception error) {
        completeAll(forAttempt, error);
    }

    /** The connection will not come up (refused, given up, closed): every waiter fails. */
    void failAll(Exception error) {
        completeAll(untilUp, error);
        completeAll(forAttempt, error);
    }

    private static void completeAll(List<CompletableFuture<Void>> waiters, Exception error) {
        List<CompletableFuture<Void>> waiting = new ArrayList<>(waiters);
        waiters.clear();
        for (CompletableFuture<Void> waiter : waiting) {
            if (error == null) {
                waiter.complete(null);
            } else {
                waiter.completeExceptionally(error);
            }
        }
    }
}
