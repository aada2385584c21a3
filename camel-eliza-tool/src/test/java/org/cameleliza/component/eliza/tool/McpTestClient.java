package org.cameleliza.component.eliza.tool;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A minimal MCP client over streamable HTTP, as elizaOS's plugin talks to the server: JSON-RPC in POSTs. */
final class McpTestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger ids = new AtomicInteger();
    private final String url;

    McpTestClient(String url) {
        this.url = url;
    }

    /** The JSON-RPC response to a request. */
    JsonNode request(String method, Object params) throws IOException, InterruptedException {
        HttpResponse<String> response = post(Map.of("jsonrpc", "2.0", "id", ids.incrementAndGet(), "method", method,
                "params", params), Map.of());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    JsonNode callTool(String name, Map<String, Object> arguments) throws IOException, InterruptedException {
        return request("tools/call", Map.of("name", name, "arguments", arguments)).path("result");
    }

    HttpResponse<String> post(Object message, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String url() {
        return url;
    }

    HttpClient http() {
        return http;
    }

    static String text(JsonNode result) {
        return result.path("content").path(0).path("text").asText();
    }
}
