package org.cameleliza.component.eliza.producer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import org.apache.camel.Message;
import org.cameleliza.component.eliza.ElizaBodyType;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaMessageMapper;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;

/**
 * The agent's answer as the http transport gets it: the server's answer to the post, {@code {success, userMessage,
 * agentResponse}}, where agentResponse is the agent's response content ({@code text, thought, actions, responseId...})
 * or null when the agent decided not to answer. Turned into the exchange's message as the socket transport's reply:
 * the body and headers of an agent's messageBroadcast, or CamelElizaNoReply with a null body. Pure.
 */
final class ElizaHttpTransport {

    private ElizaHttpTransport() {
    }

    /** What the answer writes into the exchange's message; fails when the server does not know transport=http. */
    @SuppressWarnings("unchecked")
    static Consumer<Message> answer(Map<String, Object> json, ElizaOutgoingMessage out, ElizaBodyType bodyType,
                                    String server) {
        if (!json.containsKey("agentResponse")) {
            // elizaOS 1.6 and older ignore the transport: the message was stored and broadcast, the agent answers there
            throw new CompletionException(new ElizaException(
                    "The Eliza server at " + server + " answered the post without agentResponse: it does not know"
                                                             + " transport=http (elizaOS 1.7 and later). The message was"
                                                             + " posted to channel " + out.channelId()
                                                             + " as with transport=socket"));
        }
        Object user = json.get("userMessage");
        String inReplyTo = user instanceof Map ? ElizaProtocol.string((Map<String, Object>) user, "id") : null;
        Object response = json.get("agentResponse");
        return writer(response instanceof Map ? (Map<String, Object>) response : null, null, out, inReplyTo, bodyType);
    }

    /**
     * Writes an agent's response content into a message. {@code text} overrides the content's text (a streamed answer's
     * chunks) when not null. No text: the agent did not answer (it chose IGNORE).
     */
    static Consumer<Message> writer(Map<String, Object> content, String text, ElizaOutgoingMessage out, String inReplyTo,
                                    ElizaBodyType bodyType) {
        String answer = text != null ? text : content != null ? ElizaProtocol.string(content, "text") : null;
        return message -> {
            if (answer == null || answer.isBlank()) {
                message.setBody(null);
                message.setHeader(ElizaConstants.NO_REPLY, true);
            } else {
                ElizaMessageMapper.toMessage(message, ElizaEvents.MESSAGE_BROADCAST,
                        payload(content, answer, out), bodyType);
            }
            if (inReplyTo != null) {
                message.setHeader(ElizaConstants.IN_REPLY_TO, inReplyTo);
            }
        };
    }

    /** The answer as the payload of an agent's messageBroadcast, as the socket transport's reply has it. */
    static Map<String, Object> payload(Map<String, Object> content, String text, ElizaOutgoingMessage out) {
        Map<String, Object> payload = new LinkedHashMap<>();
        if (content != null && content.get("responseId") != null) {
            payload.put("id", String.valueOf(content.get("responseId")));
        }
        payload.put("senderId", out.agentId());
        payload.put("channelId", out.channelId());
        payload.put("text", text);
        payload.put("source", "agent_response");
        if (content != null) {
            for (String key : new String[] { "thought", "actions", "attachments" }) {
                if (content.get(key) != null) {
                    payload.put(key, content.get(key));
                }
            }
        }
        return payload;
    }
}
