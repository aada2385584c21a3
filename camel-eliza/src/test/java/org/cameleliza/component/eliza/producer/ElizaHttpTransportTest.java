package org.cameleliza.component.eliza.producer;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaBodyType;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server's answer to a message posted with transport=http, as elizaOS 1.7.2 writes it, turned into the exchange's
 * message the way the socket transport's reply is.
 */
class ElizaHttpTransportTest extends CamelTestSupport {

    private static final String AGENT = "b850bc30-45f8-0041-a00a-83df46d8555d";
    private static final String CHANNEL = "4f0c6c5e-2b8e-4d7b-9a51-0d2f3c1b2a10";

    private final ElizaOutgoingMessage out = new ElizaOutgoingMessage(new ElizaProtocol.Outgoing(CHANNEL,
            "0b6a4a8e-6f4f-4c57-8d6e-6a1f0d4a9c11", "Camel", "hello", null, "client-1", "camel", AGENT, null, null));

    private Message message() {
        return new DefaultMessage(context);
    }

    private static Map<String, Object> answer(Object agentResponse) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("success", true);
        json.put("userMessage", Map.of("id", "stored-question", "content", "hello"));
        json.put("agentResponse", agentResponse);
        return json;
    }

    @Test
    void theAgentsResponseIsTheBodyWithTheHeadersOfAReply() {
        Map<String, Object> content = new HashMap<>(Map.of("text", "Eliza echoes: hello", "thought", "echoing",
                "actions", List.of("REPLY"), "responseId", "answer-1", "simple", true));
        Message message = message();

        ElizaHttpTransport.answer(answer(content), out, ElizaBodyType.text, "http://server").accept(message);

        assertThat(message.getBody()).isEqualTo("Eliza echoes: hello");
        assertThat(message.getHeader(ElizaConstants.SENDER_ID)).isEqualTo(AGENT);
        assertThat(message.getHeader(ElizaConstants.MESSAGE_ID)).isEqualTo("answer-1");
        assertThat(message.getHeader(ElizaConstants.THOUGHT)).isEqualTo("echoing");
        assertThat(message.getHeader(ElizaConstants.ACTIONS)).isEqualTo(List.of("REPLY"));
        assertThat(message.getHeader(ElizaConstants.SOURCE)).isEqualTo("agent_response");
        assertThat(message.getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(CHANNEL);
        assertThat(message.getHeader(ElizaConstants.IN_REPLY_TO)).isEqualTo("stored-question");
        assertThat(message.getHeader(ElizaConstants.NO_REPLY)).isNull();
    }

    @Test
    void aMapBodyIsTheReplyAsTheSocketTransportWouldHaveIt() {
        Message message = message();

        ElizaHttpTransport.answer(answer(Map.of("text", "hi")), out, ElizaBodyType.map, "http://server").accept(message);

        assertThat(message.getBody(Map.class)).containsEntry("text", "hi").containsEntry("senderId", AGENT)
                .containsEntry("source", "agent_response");
    }

    @Test
    void anAgentThatDidNotAnswerIsNoReplyWithANullBody() {
        Message message = message();
        message.setBody("the question");

        ElizaHttpTransport.answer(answer(null), out, ElizaBodyType.text, "http://server").accept(message);

        assertThat(message.getBody()).isNull();
        assertThat(message.getHeader(ElizaConstants.NO_REPLY)).isEqualTo(true);
        assertThat(message.getHeader(ElizaConstants.IN_REPLY_TO)).isEqualTo("stored-question");
    }

    @Test
    void anAnswerWithoutAgentResponseIsAServerThatDoesNotKnowTheTransport() {
        Map<String, Object> json = answer(null);
        json.remove("agentResponse");

        assertThatThrownBy(() -> ElizaHttpTransport.answer(json, out, ElizaBodyType.text, "http://server"))
                .isInstanceOf(CompletionException.class)
                .hasMessageContaining("does not know transport=http (elizaOS 1.7 and later)");
    }
}
