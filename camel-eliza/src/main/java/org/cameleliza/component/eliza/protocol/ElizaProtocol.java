package org.cameleliza.component.eliza.protocol;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONString;

/**
 * The elizaOS Socket.IO protocol: event names, the payloads the client emits, and the parsing of what the server
 * sends. See docs/protocol.md for the facts behind each rule.
 */
public final class ElizaProtocol {

    /** Client to server: every request is {@code emit("message", {type, payload})}. */
    public static final String EMIT_MESSAGE = "message";
    public static final int ROOM_JOINING = 1;
    public static final int SEND_MESSAGE = 2;

    public static final String EVENT_MESSAGE_ACK = "messageAck";
    public static final String EVENT_CHANNEL_JOINED = "channel_joined";

    /** Socket.IO frames an event as "42" + JSON array (Engine.IO message, Socket.IO event). */
    private static final int PACKET_PREFIX_BYTES = 2;
    /** What the frame of {@code emit(event, json)} adds to the event name and the JSON: {@code [""} and {@code ,]}. */
    private static final int EVENT_FRAMING_BYTES = 5;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {
    };

    private ElizaProtocol() {
    }

    /**
     * The ROOM_JOINING payload. Both id spellings are sent (messageServerId for 1.6+, serverId for 1.5 and older);
     * with an agent the channel is announced as a DM with that agent.
     */
    public static Map<String, Object> joinPayload(
            String channelId, String entityId, String agentId, String messageServerId, String senderName) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("channelId", channelId);
        payload.put("roomId", channelId);
        payload.put("entityId", entityId);
        payload.put("messageServerId", messageServerId);
        payload.put("serverId", messageServerId);
        if (senderName != null) {
            payload.put("username", senderName);
            payload.put("displayName", senderName);
        }
        if (agentId != null) {
            payload.put("agentId", agentId);
            payload.put("metadata", dmMetadata(agentId));
        }
        return payload;
    }

    /** A message to send; null fields are left out. */
    public record Outgoing(
            String channelId, String senderId, String senderName, String text, String messageServerId,
            String clientMessageId, String source, String agentId, List<Object> attachments, Map<String, Object> metadata) {

        public Outgoing withMessageServerId(String id) {
            return new Outgoing(channelId, senderId, senderName, text, id, clientMessageId, source, agentId, attachments,
                    metadata);
        }
    }

    /**
     * The SEND_MESSAGE payload. When the message has an agent it carries DM metadata naming the agent (over the
     * user's metadata), so a channel the server auto-creates has the agent as participant: agents answer only where
     * they participate.
     */
    public static Map<String, Object> sendPayload(Outgoing m) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("channelId", m.channelId());
        payload.put("roomId", m.channelId());
        payload.put("senderId", m.senderId());
        if (m.senderName() != null) {
            payload.put("senderName", m.senderName());
        }
        payload.put("message", m.text());
        payload.put("messageServerId", m.messageServerId());
        payload.put("serverId", m.messageServerId());
        payload.put("messageId", m.clientMessageId());
        if (m.source() != null) {
            payload.put("source", m.source());
        }
        if (m.attachments() != null && !m.attachments().isEmpty()) {
            payload.put("attachments", m.attachments());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (m.metadata() != null) {
            metadata.putAll(m.metadata());
        }
        if (m.agentId() != null) {
            metadata.putAll(dmMetadata(m.agentId()));
        }
        payload.put("metadata", metadata);
        return payload;
    }

    private static Map<String, Object> dmMetadata(String agentId) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("isDm", true);
        metadata.put("channelType", "DM");
        metadata.put("targetUserId", agentId);
        return metadata;
    }

    /**
     * JSON text the Socket.IO client emits as it is: its encoder writes a {@link JSONString} into the frame without
     * parsing or building anything, so a message is serialised once, by Jackson, and the frame's size is known.
     */
    public record Json(String text) implements JSONString {
        @Override
        public String toJSONString() {
            return text;
        }

        /**
         * What to hand to {@code emit}: this, or, where the org.json on the classpath does not know JSONString (the
         * Android one that Spring Boot's test starter brings), the parsed object, as before.
         */
        public Object argument() {
            if (ENCODER_TAKES_JSON_STRING) {
                return this;
            }
            try {
                return new JSONObject(text);
            } catch (JSONException e) {
                throw new IllegalArgumentException("Cannot encode the message as JSON: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Whether the org.json on the classpath writes a JSONString as it is (the real one does, Android's does not). */
    private static final boolean ENCODER_TAKES_JSON_STRING = "[{}]".equals(new JSONArray().put(new Json("{}")).toString());

    /** The {@code {type, payload}} envelope, as the Socket.IO client emits it. */
    public static Json envelope(int type, Map<String, Object> payload) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("payload", payload);
        return new Json(toJson(envelope));
    }

    /** The payload as a JSON string. */
    public static String toJson(Map<String, Object> payload) {
        try {
            return MAPPER.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot encode the payload as JSON: " + e.getMessage(), e);
        }
    }

    /** The exact size in bytes of the Socket.IO packet that emitting {@code data} as {@code event} sends. */
    public static int packetSize(String event, Json data) {
        if (!ENCODER_TAKES_JSON_STRING) {
            // the frame holds the text another org.json writes: measure that
            return PACKET_PREFIX_BYTES + utf8Length(new JSONArray().put(event).put(data.argument()).toString());
        }
        return PACKET_PREFIX_BYTES + EVENT_FRAMING_BYTES + utf8Length(event) + utf8Length(data.text());
    }

    /**
     * The UTF-8 length of a string as the WebSocket sends it, counted without encoding it (a lone surrogate goes out as
     * '?').
     */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                       && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** A parser of {@code text} from {@code offset} on (the JSON of a frame after its packet type). */
    static JsonParser jsonParser(String text, int offset) throws IOException {
        return MAPPER.getFactory().createParser(text.substring(offset));
    }

    /** The value at the parser's current token: a map, a list, a string, a number or a boolean. */
    static Object readValue(JsonParser parser) throws IOException {
        return MAPPER.readValue(parser, Object.class);
    }

    /**
     * Reads an event argument as a map. The server sends objects, but some deployments have been seen to send the
     * same payloads as JSON strings: both are accepted.
     *
     * @throws IllegalArgumentException when the argument is neither
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(Object arg) {
        if (arg instanceof Map) {
            // read by ElizaPacketDecoder, for this event only
            return (Map<String, Object>) arg;
        }
        String json;
        if (arg instanceof JSONObject) {
            json = arg.toString();
        } else if (arg instanceof String) {
            json = (String) arg;
        } else {
            throw new IllegalArgumentException(
                    "Expected a JSON object but got " + (arg == null ? "nothing" : arg.getClass().getSimpleName()));
        }
        try {
            Map<String, Object> map = MAPPER.readValue(json, MAP_TYPE);
            if (map == null) {
                throw new IllegalArgumentException("Expected a JSON object but got null");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Malformed JSON payload: " + e.getOriginalMessage(), e);
        }
    }

    /** The channel of a server event: {@code channelId}, or {@code roomId} (agent replies carry only roomId). */
    public static String channelOf(Map<String, Object> payload) {
        Object channel = payload.get("channelId");
        if (channel == null) {
            channel = payload.get("roomId");
        }
        return channel != null ? channel.toString().toLowerCase() : null;
    }

    /**
     * A message as the REST API stores it, in the shape of a messageBroadcast payload, so that recovered messages look
     * like live ones.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> fromStoredMessage(Map<String, Object> stored) {
        Map<String, Object> metadata = stored.get("metadata") instanceof Map
                ? (Map<String, Object>) stored.get("metadata") : Map.of();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", stored.get("id"));
        payload.put("channelId", stored.get("channelId"));
        payload.put("roomId", stored.get("channelId"));
        payload.put("senderId", stored.get("authorId"));
        Object senderName = metadata.get("user_display_name");
        if (senderName == null) {
            senderName = metadata.get("agentName");
        }
        payload.put("senderName", senderName != null ? senderName : stored.get("authorDisplayName"));
        payload.put("text", stored.get("content"));
        payload.put("createdAt", createdAt(stored));
        payload.put("source", stored.get("sourceType"));
        putIfPresent(payload, "thought", metadata.get("thought"));
        putIfPresent(payload, "actions", metadata.get("actions"));
        putIfPresent(payload, "attachments", metadata.get("attachments"));
        putIfPresent(payload, "messageServerId", metadata.get("messageServerId"));
        putIfPresent(payload, "inReplyToRootMessageId", stored.get("inReplyToRootMessageId"));
        payload.put("recovered", true);
        return payload;
    }

    /** When a stored message was created, in epoch milliseconds ({@code created_at}), or -1. */
    public static long createdAt(Map<String, Object> stored) {
        Object millis = stored.get("created_at");
        if (millis instanceof Number) {
            return ((Number) millis).longValue();
        }
        Object createdAt = stored.get("createdAt");
        if (createdAt instanceof Number) {
            return ((Number) createdAt).longValue();
        }
        if (createdAt instanceof String) {
            try {
                return java.time.Instant.parse((String) createdAt).toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                return -1;
            }
        }
        return -1;
    }

    private static void putIfPresent(Map<String, Object> payload, String key, Object value) {
        if (value != null) {
            payload.put(key, value);
        }
    }

    /**
     * The server's id of the message a stored message answers ({@code inReplyToRootMessageId}, set on agent replies
     * by elizaOS 1.4 and later), or null.
     */
    public static String inReplyTo(Map<String, Object> message) {
        return string(message, "inReplyToRootMessageId");
    }

    public static String string(Map<String, Object> payload, String key) {
        Object value = payload.get(key);
        return value != null ? value.toString() : null;
    }
}
