package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.component.eliza.ElizaUnacknowledgedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElizaAckTrackerTest {

    private final List<Long> sweepsScheduled = new ArrayList<>();
    private final ElizaAckTracker acks = new ElizaAckTracker(sweepsScheduled::add);

    private CompletableFuture<Map<String, Object>> send(String id, long timeoutMillis, boolean ordered) {
        CompletableFuture<Map<String, Object>> ack = new CompletableFuture<>();
        acks.add(id, null, ack, timeoutMillis, ordered);
        return ack;
    }

    @Test
    void oneSweepIsScheduledForTheEarliestDeadlineNotATimerPerMessage() {
        send("a", 60_000, false);
        send("b", 60_000, false);
        send("c", 60_000, false);
        assertThat(sweepsScheduled).hasSize(1);
        assertThat(sweepsScheduled.get(0)).isGreaterThan(TimeUnit.SECONDS.toNanos(50));

        // an earlier deadline than the sweep scheduled gets a sweep of its own
        send("d", 1_000, false);
        assertThat(sweepsScheduled).hasSize(2);
        assertThat(sweepsScheduled.get(1)).isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aSweepFailsWhatIsOverdueAndSchedulesTheNextForWhatIsLeft() {
        CompletableFuture<Map<String, Object>> overdue = send("late", 0, false);
        CompletableFuture<Map<String, Object>> waiting = send("early", 60_000, false);

        acks.sweep();

        assertThat(overdue).isCompletedExceptionally();
        assertThat(overdue.handle((v, e) -> e).join()).isInstanceOf(TimeoutException.class)
                .hasMessage("No acknowledgement from the Eliza server within 0 ms");
        assertThat(waiting).isNotDone();
        assertThat(acks.size()).isEqualTo(1);
        assertThat(sweepsScheduled.get(sweepsScheduled.size() - 1)).isGreaterThan(TimeUnit.SECONDS.toNanos(50));

        acks.sweep();
        assertThat(waiting).isNotDone();
    }

    @Test
    void anEndlessTimeoutDoesNotKeepOtherSendsFromTimingOut() {
        CompletableFuture<Map<String, Object>> endless = send("endless", Long.MAX_VALUE, false);
        CompletableFuture<Map<String, Object>> overdue = send("late", 0, false);
        // the overdue send's deadline is earlier than the sweep scheduled for the endless one: a sweep of its own
        assertThat(sweepsScheduled).hasSize(2);

        acks.sweep();

        assertThat(overdue).isCompletedExceptionally();
        assertThat(endless).isNotDone();
        assertThat(sweepsScheduled.get(sweepsScheduled.size() - 1)).isPositive();
    }

    @Test
    void oneWayAcksCompleteAtOnceRequestsAcksAreLeftForTheConnectionsThread() {
        CompletableFuture<Map<String, Object>> oneWay = send("one-way", 60_000, false);
        CompletableFuture<Map<String, Object>> request = send("request", 60_000, true);

        assertThat(acks.acknowledgeNow("one-way", Map.of("messageId", "m1"))).isTrue();
        assertThat(acks.acknowledgeNow("request", Map.of("messageId", "m2"))).isFalse();
        assertThat(acks.acknowledgeNow("unknown", Map.of())).isFalse();

        assertThat(oneWay.join()).containsEntry("messageId", "m1");
        assertThat(request).isNotDone();
        assertThat(acks.acknowledge("request", Map.of("messageId", "m2"))).isTrue();
        assertThat(request.join()).containsEntry("messageId", "m2");
    }

    @Test
    void aMessageErrorFailsOnlyTheSendItNamesAndADropFailsAll() {
        CompletableFuture<Map<String, Object>> first = send("first", 60_000, false);
        CompletableFuture<Map<String, Object>> named = new CompletableFuture<>();
        acks.add("named", "server-7", named, 60_000, false);

        // names no send: reported to the connection's listeners by the caller, never pinned on the oldest send
        assertThat(acks.reject("message is required")).isFalse();
        assertThat(first).isNotDone();
        assertThat(named).isNotDone();

        assertThat(acks.reject("no such message server server-7")).isTrue();
        assertThat(named.handle((v, e) -> e).join()).isInstanceOf(ElizaMessageRejectedException.class)
                .hasMessageContaining("named");
        assertThat(first).isNotDone();

        acks.failAll(new ElizaUnacknowledgedException("lost"));
        assertThat(first.handle((v, e) -> e).join()).isInstanceOf(ElizaUnacknowledgedException.class);
        assertThat(acks.size()).isZero();
        assertThat(acks.reject("nothing pending")).isFalse();
    }

    @Test
    void aSecondSendUnderAClientMessageIdStillWaitingForItsAckIsRefusedAtOnce() {
        CompletableFuture<Map<String, Object>> first = send("same-id", 60_000, false);
        CompletableFuture<Map<String, Object>> second = new CompletableFuture<>();

        assertThat(acks.add("same-id", null, second, 60_000, true)).isFalse();

        assertThat(second.handle((v, e) -> e).join()).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("same-id")
                .hasMessageContaining("a message with that client id is still waiting for its ack");
        // the first is untouched, and completes with the ack as before; no sweep was scheduled for the second
        assertThat(first).isNotDone();
        assertThat(acks.size()).isEqualTo(1);
        assertThat(sweepsScheduled).hasSize(1);
        assertThat(acks.acknowledgeNow("same-id", Map.of("messageId", "m1"))).isTrue();
        assertThat(first.join()).containsEntry("messageId", "m1");

        // once acknowledged, the id may be sent again
        CompletableFuture<Map<String, Object>> later = new CompletableFuture<>();
        assertThat(acks.add("same-id", null, later, 60_000, false)).isTrue();
        assertThat(later).isNotDone();
    }
}
