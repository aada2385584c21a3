package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.cameleliza.component.eliza.connection.ElizaRecoveryQueue.Urgency;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The order and pace of gap recovery reads, on a clock and a loop the test turns by hand. */
class ElizaRecoveryQueueTest {

    private long now = 1_000_000;
    private long restPausedUntil;
    private final List<Runnable> queued = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();
    private final List<String> reads = new ArrayList<>();

    private record Timer(long at, Runnable task, CompletableFuture<Void> handle) {
    }

    private final ElizaRecoveryQueue.Loop loop = new ElizaRecoveryQueue.Loop() {
        @Override
        public void execute(Runnable task) {
            queued.add(task);
        }

        @Override
        public Future<?> schedule(Runnable task, long delayMillis) {
            CompletableFuture<Void> handle = new CompletableFuture<>();
            timers.add(new Timer(now + delayMillis, task, handle));
            return handle;
        }

        @Override
        public long restPausedForMillis() {
            return Math.max(0, restPausedUntil - now);
        }

        @Override
        public String describe() {
            return "the test's connection";
        }
    };

    /** 3 at once, then 6 a minute: one every 10 s. */
    private final ElizaRecoveryQueue.Pace pace = new ElizaRecoveryQueue.Pace(3, 6, () -> now);
    private final ElizaRecoveryQueue queue = new ElizaRecoveryQueue(pace, loop, () -> now);

    private ElizaRecoveryQueue.Ticket read(String channel, Urgency urgency, long lastActivity) {
        return read(channel, urgency, false, lastActivity);
    }

    private ElizaRecoveryQueue.Ticket read(String channel, Urgency urgency, boolean waitedBefore, long lastActivity) {
        return queue.enqueue(urgency, waitedBefore, lastActivity, () -> reads.add(channel));
    }

    private int waiting() {
        return (Integer) queue.describe().get("gapReadsWaiting");
    }

    /** The reads queued together are ordered before the first goes. */
    private void settle() {
        advance(ElizaRecoveryQueue.SETTLE_MILLIS);
    }

    /** Runs what the loop has queued. */
    private void runLoop() {
        List<Runnable> tasks = new ArrayList<>(queued);
        queued.clear();
        tasks.forEach(Runnable::run);
    }

    /** Moves the clock on and runs the timers due, then the loop. */
    private void advance(long millis) {
        now += millis;
        fireTimers();
        runLoop();
    }

    private void fireTimers() {
        for (Timer timer : new ArrayList<>(timers)) {
            if (timer.at() <= now && !timer.handle().isDone()) {
                timers.remove(timer);
                timer.handle().complete(null);
                timer.task().run();
            }
        }
    }

    @Test
    void aBurstGoesOnceTheJoinsSettledThenThePaceTheMostRecentlyActiveChannelFirst() {
        for (int i = 0; i < 6; i++) {
            // a reconnect's joins are confirmed one by one, the least active channel first; channel-5 was active last
            read("channel-" + i, Urgency.GAP, 1000 + i);
            advance(10);
        }
        assertThat(reads).as("gathered before the first goes").isEmpty();
        settle();
        assertThat(reads).containsExactly("channel-5", "channel-4", "channel-3");
        assertThat(waiting()).isEqualTo(3);

        advance(9_999);
        assertThat(reads).hasSize(3);
        advance(1);
        assertThat(reads).endsWith("channel-2");
        advance(20_000);
        assertThat(reads).endsWith("channel-2", "channel-1", "channel-0");
        assertThat(waiting()).isZero();
    }

    @Test
    void aGapThatWaitedBeforeGoesFirstSoQuietChannelsAreReadEvenWhenTheConnectionDropsOften() {
        read("busy", Urgency.GAP, 9_000);
        read("quiet, from the reconnect before", Urgency.GAP, true, 1);
        settle();
        assertThat(reads).containsExactly("quiet, from the reconnect before", "busy");
    }

    @Test
    void aPromotedReadGoesAtOnceWithoutTakingATurnAndAFirstStartsPositionGoesLast() {
        read("a", Urgency.GAP, 1);
        read("b", Urgency.GAP, 2);
        read("c", Urgency.GAP, 3);
        ElizaRecoveryQueue.Ticket position = read("position", Urgency.POSITION, -1);
        ElizaRecoveryQueue.Ticket idle = read("idle", Urgency.GAP, 0);
        read("recent", Urgency.GAP, 5);
        settle();
        assertThat(reads).containsExactly("recent", "c", "b");

        idle.promote();
        runLoop();
        assertThat(reads).containsExactly("recent", "c", "b", "idle");
        assertThat(idle.isWaiting()).isFalse();

        // the promoted read did not take the next turn
        advance(10_000);
        assertThat(reads).endsWith("a");
        assertThat(position.isWaiting()).isTrue();
        advance(10_000);
        assertThat(reads).endsWith("position");
    }

    @Test
    void aCancelledReadNeverRunsAlsoWhenItsTurnHadCome() {
        ElizaRecoveryQueue.Ticket granted = read("granted", Urgency.GAP, 1);
        read("d", Urgency.GAP, 1);
        read("e", Urgency.GAP, 1);
        ElizaRecoveryQueue.Ticket waiting = read("waiting", Urgency.GAP, 1);
        // the turns come (the reads are queued on the connection's thread), then the consumer stops before they ran
        now += ElizaRecoveryQueue.SETTLE_MILLIS;
        fireTimers();
        granted.cancel();
        waiting.cancel();
        runLoop();
        advance(60_000);
        assertThat(reads).containsExactly("d", "e");
        assertThat(waiting()).isZero();
    }

    @Test
    void whileTheServersRateLimitIsSpentOnlyPromotedReadsGoAndTheRestWhenItEnds() {
        restPausedUntil = now + 30_000;
        read("paced", Urgency.GAP, 1);
        ElizaRecoveryQueue.Ticket active = read("active", Urgency.GAP, 1);
        runLoop();
        assertThat(reads).isEmpty();

        active.promote();
        runLoop();
        assertThat(reads).containsExactly("active");

        advance(29_999);
        assertThat(reads).containsExactly("active");
        advance(1);
        assertThat(reads).containsExactly("active", "paced");
        assertThat(queue.describe()).containsEntry("gapReadsStarted", 2L).containsEntry("gapReadsStartedAtOnce", 1L);
    }

    @Test
    void aBurstOrAPaceOfZeroIsRefused() {
        assertThatThrownBy(() -> new ElizaRecoveryQueue.Pace(0, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 and 20");
        assertThatThrownBy(() -> new ElizaRecoveryQueue.Pace(50, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50 and 0");
    }
}
