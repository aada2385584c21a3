package org.cameleliza.examples.jms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cameleliza.component.eliza.ElizaIds;

/**
 * What the Eliza server stored in a channel, read over its REST API: the test's independent count of what arrived,
 * not the route's opinion of what it sent.
 */
final class ElizaChannelHistory {

    /** One stored message: its server id, author, text and client message id. */
    record Stored(String id, String authorId, String text, String clientMessageId) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElizaChannelHistory() {
    }

    /** The messages of the channel that the agent did not write (the questions), oldest first. */
    static List<Stored> questions(String elizaUrl, String channel, String agentId) throws Exception {
        String uri = elizaUrl + "/api/messaging/channels/" + ElizaIds.channelId(channel) + "/messages?limit=500";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        List<Stored> questions = new ArrayList<>();
        for (JsonNode message : JSON.readTree(response.body()).path("data").path("messages")) {
            Stored stored = new Stored(message.path("id").asText(), message.path("authorId").asText(),
                    message.path("content").asText(), message.path("sourceId").asText(null));
            if (!agentId.equals(stored.authorId())) {
                questions.add(0, stored);
            }
        }
        return questions;
    }
}
