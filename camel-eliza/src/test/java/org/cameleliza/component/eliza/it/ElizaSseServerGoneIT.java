package org.cameleliza.component.eliza.it;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.component.eliza.ElizaStreamException;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * transport=sse with streaming=true when the server dies in the middle of an answer (SIGKILL, on a server of its own):
 * the stream the route reads fails with {@link ElizaStreamException} carrying exactly the text that had arrived, never
 * a silent cut. The test kit's "[slowchunks:N]" marker makes the model take N ms per chunk.
 */
class ElizaSseServerGoneIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.agents(1));

    @Test
    void aServerKilledMidStreamFailsTheStreamWithThePartialText() {
        ElizaTestServer.Agent agent = eliza.server().agent();
        String question = "[slowchunks:300] a long answer please, with enough words in it to take a few chunks";
        String uri = "eliza:gone-" + UUID.randomUUID() + "?url=" + eliza.url() + "&agentId=" + agent.id()
                     + "&transport=sse&streaming=true&replyTimeout=30000";
        Exchange reply = template.request(uri, e -> e.getMessage().setBody(question));
        assertThat(reply.getException()).isNull();
        ElizaAnswerStream stream = reply.getMessage().getBody(ElizaAnswerStream.class);
        StringBuilder read = new StringBuilder(stream.next());

        eliza.server().kill();

        assertThatThrownBy(() -> {
            while (stream.hasNext()) {
                read.append(stream.next());
            }
        }).isInstanceOfSatisfying(ElizaStreamException.class,
                e -> assertThat(e.getPartialText()).isEqualTo(read.toString()));
        String expected = ElizaTestServer.expectedReply(agent, question);
        assertThat(expected).startsWith(read.toString());
        assertThat(read.length()).isPositive().isLessThan(expected.length());
        assertThat(stream.getText()).isNull();
        System.out.printf("TRANSPORT-TEST: server killed mid-stream: %d of %d characters had arrived%n", read.length(),
                expected.length());
    }
}
