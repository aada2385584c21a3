package org.cameleliza.component.eliza.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.cameleliza.component.eliza.ElizaBodyType;
import org.cameleliza.component.eliza.ElizaConstants;

/**
 * Turns a server event into a Camel message: the body as the bodyType option says, and the headers of
 * {@link ElizaConstants}. Used for the consumer's exchanges and for request-reply answers.
 */
public final class ElizaMessageMapper {

    private ElizaMessageMapper() {
    }

    public static void toMessage(Message message, String event, Map<String, Object> payload, ElizaBodyType bodyType) {
        message.setBody(body(event, payload, bodyType));
        message.setHeader(ElizaConstants.EVENT, event);
        setIfPresent(message, ElizaConstants.MESSAGE_ID, first(payload, "id", "messageId"));
        setIfPresent(message, ElizaConstants.CHANNEL_ID, ElizaProtocol.channelOf(payload));
        setIfPresent(message, ElizaConstants.SENDER_ID, first(payload, "senderId", "agentId"));
        setIfPresent(message, ElizaConstants.SENDER_NAME, ElizaProtocol.string(payload, "senderName"));
        Object createdAt = payload.get("createdAt");
        if (createdAt instanceof Number) {
            message.setHeader(ElizaConstants.CREATED_AT, ((Number) createdAt).longValue());
        }
        setIfPresent(message, ElizaConstants.SOURCE, ElizaProtocol.string(payload, "source"));
        setIfPresent(message, ElizaConstants.THOUGHT, ElizaProtocol.string(payload, "thought"));
        Object actions = payload.get("actions");
        if (actions instanceof List) {
            message.setHeader(ElizaConstants.ACTIONS, ((List<?>) actions).stream().map(String::valueOf).toList());
        }
        Object attachments = payload.get("attachments");
        if (attachments instanceof List && !((List<?>) attachments).isEmpty()) {
            message.setHeader(ElizaConstants.ATTACHMENTS, copy(attachments));
        }
        setIfPresent(message, ElizaConstants.MESSAGE_SERVER_ID, first(payload, "messageServerId", "serverId"));
        if (Boolean.TRUE.equals(payload.get("recovered"))) {
            message.setHeader(ElizaConstants.RECOVERED, true);
        }
        Object index = payload.get("index");
        if (ElizaEvents.MESSAGE_STREAM_CHUNK.equals(event) && index instanceof Number) {
            message.setHeader(ElizaConstants.CHUNK_INDEX, ((Number) index).intValue());
        }
    }

    static Object body(String event, Map<String, Object> payload, ElizaBodyType bodyType) {
        switch (bodyType) {
            case map:
                // a copy: the payload is the one every consumer of the channel and the reply tracker read
                return copy(payload);
            case json:
                return ElizaProtocol.toJson(payload);
            default:
                return text(event, payload);
        }
    }

    /** The text of an event: a message's text, a stream chunk, or an error; null for events without text. */
    static String text(String event, Map<String, Object> payload) {
        if (ElizaEvents.MESSAGE_STREAM_CHUNK.equals(event)) {
            return ElizaProtocol.string(payload, "chunk");
        }
        if (ElizaEvents.MESSAGE_STREAM_ERROR.equals(event) || ElizaEvents.MESSAGE_ERROR.equals(event)) {
            return ElizaProtocol.string(payload, "error");
        }
        return ElizaProtocol.string(payload, "text");
    }

    /** A deep copy of a payload's maps and lists; their leaves (strings, numbers, booleans) are immutable. */
    static Object copy(Object value) {
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return copy;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>(((List<?>) value).size());
            ((List<?>) value).forEach(v -> copy.add(copy(v)));
            return copy;
        }
        return value;
    }

    private static String first(Map<String, Object> payload, String key, String fallback) {
        String value = ElizaProtocol.string(payload, key);
        return value != null ? value : ElizaProtocol.string(payload, fallback);
    }

    private static void setIfPresent(Message message, String header, Object value) {
        if (value != null) {
            message.setHeader(header, value);
        }
    }
}
