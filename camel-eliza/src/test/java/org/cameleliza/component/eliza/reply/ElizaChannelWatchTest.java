package org.cameleliza.component.eliza.reply;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElizaChannelWatchTest {

    private final ElizaChannelWatch watch = new ElizaChannelWatch();

    /** A request of ours: sent, then its broadcast (which comes before its ack), then the tracker's await. */
    private long ask(String clientId) {
        watch.sending(clientId);
        watch.onUserMessage(clientId);
        return watch.othersMessagesAtSend(clientId);
    }

    @Test
    void aNewWatchDoesNotKnowWhatWasSaidBeforeItListened() {
        assertThat(watch.isSettled()).isFalse();
    }

    @Test
    void anAnswerIdentifiedWithNobodyElseWritingSettlesTheChannel() {
        long atSend = ask("c1");
        watch.identified(atSend);
        assertThat(watch.isSettled()).isTrue();

        // our own next request keeps it settled
        ask("c2");
        assertThat(watch.isSettled()).isTrue();
    }

    @Test
    void someoneElsesMessageUnsettlesItUntilAnAnswerIsIdentifiedWithNobodyWritingMeanwhile() {
        watch.identified(ask("c1"));
        watch.onUserMessage(null);
        assertThat(watch.isSettled()).isFalse();

        long atSend = ask("c2");
        watch.onUserMessage("someone else's client id");
        watch.identified(atSend);
        assertThat(watch.isSettled()).as("they wrote during the turn: their answer may still come").isFalse();

        watch.identified(ask("c3"));
        assertThat(watch.isSettled()).isTrue();
    }

    @Test
    void aReconnectUnsettles() {
        watch.identified(ask("c1"));
        watch.unsettle();
        assertThat(watch.isSettled()).isFalse();
    }

    @Test
    void anOrphanCountsUntilItsAnswerCame() {
        watch.orphan("m1");
        assertThat(watch.hasOrphans()).isTrue();
        watch.answered("m1");
        assertThat(watch.hasOrphans()).isFalse();
    }

    @Test
    void positionOnlyForTheOneRequestOfASettledChannelWithNoAnswerStillDue() {
        long atSend = ask("c1");
        assertThat(watch.allowsPosition(1)).as("not settled yet").isFalse();
        watch.identified(atSend);
        assertThat(watch.allowsPosition(1)).isTrue();
        assertThat(watch.allowsPosition(2)).as("two requests wait for the agent").isFalse();
        assertThat(watch.allowsPosition(0)).isFalse();

        watch.orphan("m1");
        assertThat(watch.allowsPosition(1)).as("a timed-out request's answer may still come").isFalse();
        watch.answered("m1");
        assertThat(watch.allowsPosition(1)).isTrue();
    }

    @Test
    void aRequestSentBeforeAGapInHearingCannotSettleTheChannel() {
        // a request whose wait spans a reconnect: what was said meanwhile was not heard
        long atSend = ask("c1");
        watch.unsettle();
        watch.identified(atSend);
        assertThat(watch.isSettled()).isFalse();

        watch.identified(ask("c2"));
        assertThat(watch.isSettled()).isTrue();
    }
}
