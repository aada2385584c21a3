package org.cameleliza.component.eliza.it;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaStreamException;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed answer cut mid-way: the server is killed (SIGKILL, a server of its own) while the agent writes its answer
 * slowly (the kit's marker {@code [slowchunks:N]}). The route, reading the chunks with split(body()).streaming(), gets
 * ElizaStreamException with the text that came, at once rather than at replyTimeout: never a silent cut, never a hang.
 */
class ElizaStreamingFailureIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> { });

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask")
                        .to("eliza:cut-" + UUID.randomUUID() + "?url=" + eliza.url() + "&agentId="
                            + eliza.server().agent().id() + "&streaming=true&replyTimeout=120000")
                        .split(body()).streaming()
                            .to("mock:chunks")
                        .end();
            }
        };
    }

    @Test
    void aStreamCutByTheServersDeathFailsWithThePartialText() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunks");
        // the second chunk has arrived: the answer is being written; the server dies
        chunks.whenExchangeReceived(2, e -> eliza.server().kill());
        String question = "[slowchunks:300] a long answer, cut in the middle by the death of the server that streams"
                          + " it, with enough text left after the second chunk to be sure it is cut";
        long asked = System.nanoTime();
        Exchange done = template.request("direct:ask", e -> e.getMessage().setBody(question));
        long failedAfter = (System.nanoTime() - asked) / 1_000_000;

        StringBuilder received = new StringBuilder();
        chunks.getExchanges().forEach(c -> received.append(c.getMessage().getBody(String.class)));
        Throwable failure = done.getException();
        assertThat(failure).isNotNull();
        // the split reports what its iterator threw, as it is or as the cause of its own exception
        Throwable thrown = failure;
        while (!(thrown instanceof ElizaStreamException) && thrown.getCause() != null) {
            thrown = thrown.getCause();
        }
        assertThat(thrown).isInstanceOf(ElizaStreamException.class);
        ElizaStreamException cut = (ElizaStreamException) thrown;
        assertThat(cut).hasMessageContaining("connection to the server was lost");
        // the partial text is everything the stream gave out: what the route got, and the chunk Camel's splitter had
        // read ahead (to know whether it was the last) when the stream failed
        assertThat(cut.getPartialText()).startsWith(received.toString());
        String whole = ElizaTestServer.expectedReply(eliza.server().agent(), question);
        assertThat(whole).startsWith(cut.getPartialText());
        assertThat(cut.getPartialText().length()).isLessThan(whole.length());
        assertThat(chunks.getReceivedCounter()).isGreaterThanOrEqualTo(2);
        System.out.printf("STREAMING: cut after %d chunks (%d of %d characters), failed %d ms after the question%n",
                chunks.getReceivedCounter(), cut.getPartialText().length(), whole.length(), failedAfter);
    }
}
