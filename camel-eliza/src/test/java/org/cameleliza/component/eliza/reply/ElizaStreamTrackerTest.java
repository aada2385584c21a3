package org.cameleliza.component.eliza.reply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.component.eliza.ElizaStreamException;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaStreamTrackerTest {

    private static final String CHANNEL = "c";
    private static final String AGENT = "a";
    private static final String US = "me";

    private final ElizaStreamTracker tracker = new ElizaStreamTracker(() -> US);

    private ElizaStreamTracker.Feed feed(String agentId) {
        return new ElizaStreamTracker.Feed(agentId, new ElizaAnswerStream(2000, "answer", null));
    }

    private void chunk(String messageId, int index, String agentId, String chunk) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("messageId", messageId);
        payload.put("chunk", chunk);
        payload.put("index", index);
        payload.put("agentId", agentId);
        payload.put("channelId", CHANNEL);
        tracker.onEvent(CHANNEL, ElizaEvents.MESSAGE_STREAM_CHUNK, payload);
    }

    private static List<String> read(ElizaStreamTracker.Feed feed) {
        List<String> chunks = new ArrayList<>();
        feed.stream().forEachRemaining(chunks::add);
        return chunks;
    }

    @Test
    void theFirstStreamOfTheAgentThatStartsAfterTheSendIsTaken() {
        // a stream that began before: not ours
        chunk("earlier", 3, AGENT, "late ");
        ElizaStreamTracker.Feed feed = feed(AGENT);
        tracker.watch(CHANNEL, feed);
        chunk("earlier", 4, AGENT, "more ");
        // another agent's stream: not ours either
        chunk("other", 0, "b", "other ");
        chunk("m1", 0, AGENT, "Hello");
        chunk("m1", 1, AGENT, ", world");
        assertThat(feed.messageId()).isEqualTo("m1");

        tracker.close(feed);
        feed.stream().complete("Hello, world");
        assertThat(read(feed)).containsExactly("Hello", ", world");
    }

    @Test
    void withoutAnAgentAnyStreamButOursIsTaken() {
        ElizaStreamTracker.Feed feed = feed(null);
        tracker.watch(CHANNEL, feed);
        chunk("mine", 0, US, "no");
        chunk("m1", 0, "any-agent", "yes");
        assertThat(feed.messageId()).isEqualTo("m1");
    }

    @Test
    void twoFeedsTakeTheStreamsInOrder() {
        ElizaStreamTracker.Feed first = feed(AGENT);
        ElizaStreamTracker.Feed second = feed(AGENT);
        tracker.watch(CHANNEL, first);
        tracker.watch(CHANNEL, second);
        chunk("m1", 0, AGENT, "one");
        chunk("m2", 0, AGENT, "two");
        assertThat(first.messageId()).isEqualTo("m1");
        assertThat(second.messageId()).isEqualTo("m2");
    }

    @Test
    void afterAMissedChunkTheRestComesWithTheFinalText() {
        ElizaStreamTracker.Feed feed = feed(AGENT);
        tracker.watch(CHANNEL, feed);
        chunk("m1", 0, AGENT, "Hel");
        chunk("m1", 2, AGENT, "wor");
        chunk("m1", 3, AGENT, "ld");
        tracker.close(feed);
        feed.stream().complete("Hello, world");

        assertThat(read(feed)).containsExactly("Hel", "lo, world");
    }

    @Test
    void aClosedFeedIsFedNoMore() {
        ElizaStreamTracker.Feed feed = feed(AGENT);
        tracker.watch(CHANNEL, feed);
        chunk("m1", 0, AGENT, "a");
        tracker.close(feed);
        chunk("m1", 1, AGENT, "b");
        ElizaStreamTracker.Feed next = feed(AGENT);
        tracker.watch(CHANNEL, next);
        chunk("m1", 2, AGENT, "c");
        feed.stream().complete("a");

        assertThat(read(feed)).containsExactly("a");
        assertThat(next.messageId()).isNull();
    }

    @Test
    void theServersStreamErrorFailsTheStreamWithItsPartialText() {
        ElizaStreamTracker.Feed feed = feed(AGENT);
        tracker.watch(CHANNEL, feed);
        chunk("m1", 0, AGENT, "Hel");
        tracker.onEvent(CHANNEL, ElizaEvents.MESSAGE_STREAM_ERROR,
                Map.of("messageId", "m1", "channelId", CHANNEL, "agentId", AGENT, "error", "model failed",
                        "partialText", "Hello"));

        assertThat(feed.stream().next()).isEqualTo("Hel");
        assertThatThrownBy(feed.stream()::next)
                .isInstanceOfSatisfying(ElizaStreamException.class, e -> {
                    assertThat(e.getPartialText()).isEqualTo("Hello");
                    assertThat(e.getMessage()).contains("model failed");
                });
    }

    @Test
    void losingTheConnectionFailsAStreamThatBegunButNotOneThatDidNot() {
        ElizaStreamTracker.Feed begun = feed(AGENT);
        ElizaStreamTracker.Feed waiting = feed("b");
        tracker.watch(CHANNEL, begun);
        tracker.watch(CHANNEL, waiting);
        chunk("m1", 0, AGENT, "Hel");
        tracker.connectionLost();

        assertThat(begun.stream().next()).isEqualTo("Hel");
        assertThatThrownBy(begun.stream()::next)
                .isInstanceOfSatisfying(ElizaStreamException.class, e -> {
                    assertThat(e.getPartialText()).isEqualTo("Hel");
                    assertThat(e.getMessage()).contains("connection to the server was lost");
                });
        // the other one still takes its stream
        chunk("m2", 0, "b", "x");
        assertThat(waiting.messageId()).isEqualTo("m2");
    }
}
