package org.cameleliza.component.eliza.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Eliza server's REST API (base /api/messaging), for tests that check what the server stored or make it emit
 * channel events.
 */
public final class ElizaRest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ElizaRest(String url) {
        this.base = url + "/api/messaging";
    }

    /** The messages of a channel, newest first. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> messages(String channelId, int limit) throws Exception {
        Map<String, Object> body = call("GET", "/channels/" + channelId + "/messages?limit=" + limit, null, 200);
        return (List<Map<String, Object>>) ((Map<String, Object>) body.get("data")).get("messages");
    }

    /** Every message of a channel, oldest first, paging back with before. */
    public List<Map<String, Object>> allMessages(String channelId) throws Exception {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        java.util.Set<Object> seen = new java.util.HashSet<>();
        long before = 0;
        while (true) {
            List<Map<String, Object>> page = messages(channelId, 100, before);
            long oldest = Long.MAX_VALUE;
            for (Map<String, Object> m : page) {
                if (seen.add(m.get("id"))) {
                    all.add(m);
                }
                oldest = Math.min(oldest, ((Number) m.get("created_at")).longValue());
            }
            if (page.size() < 100) {
                break;
            }
            before = oldest + 1 == before ? oldest : oldest + 1;
        }
        java.util.Collections.reverse(all);
        return all;
    }

    /** One page of a channel's messages created before {@code before} (0 = now), newest first. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> messages(String channelId, int limit, long before) throws Exception {
        Map<String, Object> body = call("GET", "/channels/" + channelId + "/messages?limit=" + limit
                                               + (before > 0 ? "&before=" + before : ""), null, 200);
        return (List<Map<String, Object>>) ((Map<String, Object>) body.get("data")).get("messages");
    }

    /**
     * Posts a message as an agent, the way the agent runtime posts its answers (POST /api/messaging/submit): stored with
     * {@code inReplyToRootMessageId} and broadcast to the room as the agent's message.
     */
    public void submitAsAgent(String channelId, String agentId, String agentName, String text, String inReplyTo)
            throws Exception {
        Map<String, Object> message = new java.util.LinkedHashMap<>();
        message.put("channel_id", channelId);
        message.put("message_server_id", "00000000-0000-0000-0000-000000000000");
        message.put("author_id", agentId);
        message.put("content", text);
        message.put("in_reply_to_message_id", inReplyTo);
        message.put("source_type", "agent_response");
        message.put("raw_message", Map.of("text", text));
        message.put("metadata", Map.of("agentName", agentName));
        call("POST", "/submit", message, 201);
    }

    public void deleteMessage(String channelId, String messageId) throws Exception {
        call("DELETE", "/channels/" + channelId + "/messages/" + messageId, null, 204);
    }

    public void clearChannel(String channelId) throws Exception {
        call("DELETE", "/channels/" + channelId + "/messages", null, 204);
    }

    public void renameChannel(String channelId, String name) throws Exception {
        call("PATCH", "/channels/" + channelId, Map.of("name", name), 200);
    }

    public void deleteChannel(String channelId) throws Exception {
        call("DELETE", "/channels/" + channelId, null, 204);
    }

    private Map<String, Object> call(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                                            + response.body());
        }
        return response.body().isEmpty() ? Map.of()
                : MAPPER.readValue(response.body(), new TypeReference<Map<String, Object>>() {
                });
    }
}
