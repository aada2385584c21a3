package org.cameleliza.component.eliza.it;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.component.eliza.ElizaStreamException;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * streaming=true on the real elizaOS 1.7.2 server: the body is an ElizaAnswerStream of the answer's chunks, which the
 * server sends as messageStreamChunk events while the agent's model writes (the kit's model streams its XML in chunks
 * of 16 characters; the server relays only the text of its {@code <text>} element, see ResponseStreamExtractor in
 * @elizaos/core), read by {@code split(body()).streaming()}. The chunks, in order, add up to the answer the server
 * stored, which is also the header CamelElizaStreamedText at the end.
 */
class ElizaStreamingIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private final String channel = "stream-" + UUID.randomUUID();
    private final String channelId = ElizaIds.channelId(channel);

    private ElizaTestServer.Agent agent() {
        return eliza.server().agent();
    }

    private String uri(String extra) {
        return "eliza:" + channel + "?agentId=" + agent().id() + "&streaming=true" + extra;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        context.getComponent("eliza", ElizaComponent.class).getConfiguration().setUrl(eliza.url());
        String agentId = agent().id();
        return new RouteBuilder() {
            @Override
            public void configure() {
                // tag::streaming[]
                from("direct:ask")
                        .to("eliza:" + channel + "?agentId=" + agentId + "&streaming=true")
                        .split(body()).streaming()
                            .to("mock:chunks") // each chunk, in order, while the agent writes
                        .end()
                        .log("The whole answer: ${header.CamelElizaStreamedText}")
                        .to("mock:answers");
                // end::streaming[]

                // what the server itself sends: the raw messageStreamChunk events of the channel
                from("eliza:" + channel + "?events=messageStreamChunk").to("mock:raw");
            }
        };
    }

    private Exchange ask(String question) {
        return template.request("direct:ask", e -> e.getMessage().setBody(question));
    }

    private static String joined(List<Exchange> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> sb.append(c.getMessage().getBody(String.class)));
        return sb.toString();
    }

    /** The agent's answer as the server stored it (read back over REST). */
    private Map<String, Object> storedAnswer(String id) throws Exception {
        return new ElizaRest(eliza.url()).allMessages(channelId).stream().filter(m -> id.equals(m.get("id"))).findFirst()
                .orElseThrow();
    }

    @Test
    void aStreamedAnswerComesInChunksInOrderThatAddUpToTheStoredAnswer() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunks");
        MockEndpoint answers = getMockEndpoint("mock:answers");
        // the first question of a conversation: its answer is read back over REST (position is not safe yet); the
        // second one's is matched by position
        for (int round = 1; round <= 2; round++) {
            chunks.reset();
            answers.reset();
            answers.expectedMessageCount(1);
            String question = "question " + round + ": tell me something long enough to come in several chunks, please,"
                              + " as a real model would write it";
            long asked = System.nanoTime();
            Exchange done = ask(question);
            long answered = System.nanoTime();

            assertThat(done.getException()).isNull();
            answers.assertIsSatisfied();
            List<Exchange> received = chunks.getExchanges();
            String text = joined(received);
            assertThat(received).as("chunks of answer " + round).hasSizeGreaterThan(3);
            for (int i = 0; i < received.size(); i++) {
                assertThat(received.get(i).getProperty(Exchange.SPLIT_INDEX)).isEqualTo(i);
            }
            // the chunks are the text of the answer, not the model's XML
            assertThat(text).isEqualTo(ElizaTestServer.expectedReply(agent(), question));
            Exchange answer = answers.getExchanges().get(0);
            assertThat(answer.getMessage().getHeader(ElizaConstants.STREAMED_TEXT)).isEqualTo(text);
            String answerId = answer.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class);
            Map<String, Object> stored = storedAnswer(answerId);
            assertThat(stored.get("content")).isEqualTo(text);
            assertThat(stored.get("authorId")).isEqualTo(agent().id());
            assertThat(answer.getMessage().getHeader(ElizaConstants.IN_REPLY_TO)).isNotNull();
            assertThat(answer.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(channelId);
            System.out.printf("STREAMING: answer %d in %d chunks, whole route %d ms%n", round, received.size(),
                    (answered - asked) / 1_000_000);
        }
    }

    @Test
    void theRouteReadsTheFirstChunksWhileTheAgentStillWrites() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunks");
        String question = "[slowchunks:150] an answer that takes a while to write, chunk after chunk after chunk";
        long asked = System.nanoTime();
        long[] firstChunk = new long[1];
        chunks.whenExchangeReceived(1, e -> firstChunk[0] = System.nanoTime());
        Exchange done = ask(question);
        long answered = System.nanoTime();

        assertThat(done.getException()).isNull();
        assertThat(joined(chunks.getExchanges())).isEqualTo(ElizaTestServer.expectedReply(agent(), question));
        assertThat(done.getMessage().getHeader(ElizaConstants.STREAMED_TEXT))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), question));
        System.out.printf("STREAMING: first chunk after %d ms, whole answer (%d chunks) after %d ms%n",
                (firstChunk[0] - asked) / 1_000_000, chunks.getReceivedCounter(), (answered - asked) / 1_000_000);
    }

    @Test
    void markupInTheAnswerIsStreamedAsTheServerStoresIt() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunks");
        MockEndpoint raw = getMockEndpoint("mock:raw");
        String question = "Q&A: is 1 < 2 and 3 > 2? \"yes\" & 'no'";
        String answer = ElizaTestServer.expectedReply(agent(), question);
        Exchange done = ask(question);

        assertThat(done.getException()).isNull();
        String text = joined(chunks.getExchanges());
        String answerId = done.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class);
        assertThat(storedAnswer(answerId).get("content")).isEqualTo(answer);
        assertThat(text).isEqualTo(answer);
        assertThat(done.getMessage().getHeader(ElizaConstants.STREAMED_TEXT)).isEqualTo(text);
        // the server's chunks are the text of the model's <text> element as the model wrote it (the kit's model
        // escapes & < >), never its XML: the component replaces the escapes as the server does when it stores it
        raw.expectedMinimumMessageCount(2);
        raw.assertIsSatisfied();
        String rawText = joined(raw.getExchanges());
        assertThat(rawText).isEqualTo(answer.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
                .doesNotContain("<text>", "<response>");
    }

    @Test
    void anAgentThatDoesNotAnswerFailsTheStreamAtReplyTimeout() {
        // as without streaming, where the exchange fails with ExchangeTimedOutException: elizaOS 1.5 and later do not
        // say that an agent will not answer
        Exchange done = template.request(uri("&replyTimeout=3000"), e -> e.getMessage().setBody("[ignore] not this one"));

        assertThat(done.getException()).isNull();
        ElizaAnswerStream stream = done.getMessage().getBody(ElizaAnswerStream.class);
        assertThatThrownBy(stream::hasNext).isInstanceOfSatisfying(ElizaStreamException.class, e -> {
            assertThat(e.getPartialText()).isEmpty();
            assertThat(e.getMessage()).contains("replyTimeout (3000 ms)");
            assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
        });
        assertThat(done.getMessage().getHeader(ElizaConstants.STREAMED_TEXT)).isNull();
    }

    @Test
    void theBodyIsAnAnswerStreamWhoseTextIsTheWholeAnswerOnceRead() {
        Exchange done = template.request(uri(""), e -> e.getMessage().setBody("read me myself"));

        assertThat(done.getException()).isNull();
        ElizaAnswerStream stream = done.getMessage().getBody(ElizaAnswerStream.class);
        assertThat(stream.getText()).isNull();
        StringBuilder read = new StringBuilder();
        stream.forEachRemaining(read::append);
        assertThat(read).hasToString(ElizaTestServer.expectedReply(agent(), "read me myself"));
        assertThat(stream.getText()).isEqualTo(read.toString());
        assertThat(done.getMessage().getHeader(ElizaConstants.STREAMED_TEXT)).isEqualTo(read.toString());
    }

    @Test
    void aServerLineWithoutStreamedAnswersIsRefusedBeforeAnythingIsSent() {
        // the server is 1.7.2, but the route says 1.6: the exchange fails, nothing is sent
        Exchange done = template.request(uri("&serverVersion=1.6"), e -> e.getMessage().setBody("not sent"));

        assertThat(done.getException()).isInstanceOf(ElizaException.class)
                .hasMessageContaining("streaming needs elizaOS 1.7 or later").hasMessageContaining("1.6");
    }
}
