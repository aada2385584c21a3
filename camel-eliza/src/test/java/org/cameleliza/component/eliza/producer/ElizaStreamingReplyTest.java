package org.cameleliza.component.eliza.producer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaStreamException;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.reply.ElizaReplyTracker;
import org.cameleliza.component.eliza.reply.ElizaStreamTracker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElizaStreamingReplyTest {

    private static final String CHANNEL = "c";
    private static final String AGENT = "a";

    private final ElizaStreamTracker tracker = new ElizaStreamTracker(() -> "me");
    private final ElizaStreamingReply streaming = new ElizaStreamingReply(AGENT, CHANNEL, 3000);
    private final CompletableFuture<ElizaReplyTracker.Reply> reply = new CompletableFuture<>();
    private final CompletableFuture<Object> handedOver = streaming.follow(reply);
    private final Message message = new DefaultExchange(new DefaultCamelContext()).getMessage();

    private void chunk(String messageId, int index, String chunk) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("messageId", messageId);
        payload.put("chunk", chunk);
        payload.put("index", index);
        payload.put("agentId", AGENT);
        tracker.onEvent(CHANNEL, ElizaEvents.MESSAGE_STREAM_CHUNK, payload);
    }

    private static ElizaReplyTracker.Reply answer(String id, String text) {
        return new ElizaReplyTracker.Reply(Map.of("messageId", "q1"), Map.of("id", id, "text", text));
    }

    private void askedAndHandedOver() {
        message.setHeader(ElizaConstants.SENDER_ID, "of the request");
        tracker.watch(CHANNEL, streaming.feed());
        streaming.acked(Map.of("messageId", "q1"));
        assertThat(handedOver).isCompletedWithValue(streaming);
        streaming.handOver(message);
    }

    private ElizaAnswerStream body() {
        return message.getBody(ElizaAnswerStream.class);
    }

    private List<String> read() {
        List<String> chunks = new ArrayList<>();
        body().forEachRemaining(chunks::add);
        return chunks;
    }

    @Test
    void theExchangeGoesOnAtTheAckAndTheReplyEndsTheStream() {
        askedAndHandedOver();
        assertThat(message.getHeader(ElizaConstants.SENDER_ID)).isNull();
        assertThat(message.getHeader(ElizaConstants.IN_REPLY_TO)).isEqualTo("q1");
        chunk("m1", 0, "Hello");
        chunk("m1", 1, ", wor");
        reply.complete(answer("m1", "Hello, world"));

        assertThat(read()).containsExactly("Hello", ", wor", "ld");
        assertThat(message.getHeader(ElizaConstants.STREAMED_TEXT)).isEqualTo("Hello, world");
        assertThat(message.getHeader(ElizaConstants.MESSAGE_ID)).isEqualTo("m1");
    }

    @Test
    void aReplyThatIsNotTheMessageStreamedFailsTheStream() {
        askedAndHandedOver();
        chunk("someone-elses", 0, "Not yours");
        reply.complete(answer("m1", "Hello, world"));

        assertThat(body().next()).isEqualTo("Not yours");
        assertThatThrownBy(body()::next)
                .isInstanceOfSatisfying(ElizaStreamException.class, e -> {
                    assertThat(e.getMessage()).contains("someone-elses", "m1");
                    assertThat(e.getPartialText()).isEqualTo("Not yours");
                });
        assertThat(message.getHeader(ElizaConstants.STREAMED_TEXT)).isNull();
    }

    @Test
    void aFailureBeforeTheAckFailsTheExchange() {
        IllegalStateException refused = new IllegalStateException("join refused");
        reply.completeExceptionally(refused);

        assertThatThrownBy(handedOver::join).hasCause(refused);
    }

    @Test
    void noReplyWithinReplyTimeoutFailsTheStreamOnceHandedOver() {
        askedAndHandedOver();
        chunk("m1", 0, "Hel");
        reply.completeExceptionally(new ElizaReplyTracker.ReplyTimeoutException("No reply from the agent"));

        assertThat(body().next()).isEqualTo("Hel");
        assertThatThrownBy(body()::next)
                .isInstanceOfSatisfying(ElizaStreamException.class, e -> {
                    assertThat(e.getMessage()).contains("No reply from the agent within replyTimeout (3000 ms)");
                    assertThat(e.getCause()).isInstanceOf(ElizaReplyTracker.ReplyTimeoutException.class);
                    assertThat(e.getPartialText()).isEqualTo("Hel");
                });
    }

    @Test
    void aRedeliveryThatFindsTheAnswerGoesOnWithItAsOneChunk() {
        // no ack: the question was stored by an earlier attempt, the reply is all there is
        reply.complete(answer("m1", "Hello, world"));
        assertThat(handedOver).isCompletedWithValue(streaming);
        streaming.handOver(message);

        assertThat(message.getHeader(ElizaConstants.IN_REPLY_TO)).isEqualTo("q1");
        assertThat(read()).containsExactly("Hello, world");
    }
}
