package org.cameleliza.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent that calls MCP tools, on a real server: a real MCP server (the MCP SDK's streamable HTTP transport, in Node:
 * {@code src/test/resources/mcp/orders-mcp-server.mjs}) and the real {@code @elizaos/plugin-mcp}. Each test asks in a
 * group channel of its own (the user and the agent), over the server's REST API, whose answer to the post carries the
 * agent's answer.
 */
class ElizaMcpToolAgentIT {

    private static final String SERVER_ID = "00000000-0000-0000-0000-000000000000";
    private static final Pattern CHANNEL_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern AGENT_TEXT = Pattern.compile("\"agentResponse\":\\{.*?\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static Process mcp;
    private static ElizaTestServer server;
    // HTTP/1.1: the h2c upgrade of the default HTTP/2 goes to Socket.IO, which drops a connection not its own
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startServers() throws Exception {
        int mcpPort = startMcpServer();
        server = ElizaTestServer.builder()
                .logFile(Paths.get("target", "eliza-server-logs", "test-server-mcp.log"))
                .agent(ElizaTestAgent.named("Support")
                        .usingMcpServer("orders", "http://127.0.0.1:" + mcpPort + "/mcp")
                        .callingTool("order\\s+#?([\\w-]+)", "orders", "lookupOrder", Map.of("orderId", "$1"))
                        .callingTool("stock of (\\w+)", "orders", "countStock", Map.of("item", "$1"))
                        .mcpTimeout(Duration.ofSeconds(5)))
                .agent(ElizaTestAgent.named("Echo"))
                .build().start();
    }

    /** Starts the MCP server on a free port; its stdin is our pipe, so it ends with this JVM. */
    private static int startMcpServer() throws Exception {
        Path script = Paths.get("src", "test", "resources", "mcp", "orders-mcp-server.mjs").toAbsolutePath();
        mcp = new ProcessBuilder(ElizaTestHarness.node(), script.toString(), "0")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(mcp.getInputStream(), StandardCharsets.UTF_8));
        String ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return "(no output: " + e + ")";
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(ready).as("the MCP server's first line").startsWith("MCP_READY ");
        return Integer.parseInt(ready.substring("MCP_READY ".length()).trim());
    }

    @AfterAll
    static void stopServers() {
        if (server != null) {
            server.close();
        }
        if (mcp != null) {
            mcp.destroy();
        }
    }

    @Test
    void aMessageThatMatchesARuleCallsTheToolAndTheAgentAnswersItsOutput() throws Exception {
        String answer = ask("Support", "Where is my order #4711?");

        assertThat(answer).isEqualTo("Order 4711: shipped on 2024-05-02 via DHL");
    }

    @Test
    void aToolThatReportsAnErrorGivesAnAnswerWithTheErrorText() throws Exception {
        String answer = ask("Support", "And order missing-42?");

        assertThat(answer).isEqualTo("orders/lookupOrder failed: Order missing-42 does not exist");
    }

    @Test
    void aToolTheServerDoesNotOfferIsSaidSo() throws Exception {
        String answer = ask("Support", "What is the stock of bolts?");

        assertThat(answer).startsWith("Support could not call tool countStock of MCP server orders");
    }

    @Test
    void aMessageNoRuleMatchesIsEchoedAndAnAgentWithoutMcpServersAnswersAsAlways() throws Exception {
        assertThat(ask("Support", "Hello\nthere")).isEqualTo("Support echoes: Hello\nthere");
        assertThat(ask("Echo", "Where is my order 4711?")).isEqualTo("Echo echoes: Where is my order 4711?");
    }

    /**
     * Posts {@code text} as a new user in a new group channel with the agent, and returns the agent's answer, which the
     * server's REST API gives back for a message posted with {@code "transport":"http"}.
     */
    private static String ask(String agent, String text) throws Exception {
        String user = UUID.randomUUID().toString();
        String channel = post("/api/messaging/channels", "{\"name\":\"mcp-" + UUID.randomUUID() + "\","
                + "\"participantCentralUserIds\":[\"" + user + "\",\"" + server.agent(agent).id() + "\"],"
                + "\"message_server_id\":\"" + SERVER_ID + "\"}");
        String posted = post("/api/messaging/channels/" + group(CHANNEL_ID, channel) + "/messages",
                "{\"author_id\":\"" + user + "\",\"content\":" + Json.write(text) + ",\"message_server_id\":\""
                + SERVER_ID + "\",\"transport\":\"http\",\"source_type\":\"eliza_gui\","
                + "\"metadata\":{\"user_display_name\":\"Customer\"}}");
        return unescape(group(AGENT_TEXT, posted));
    }

    private static String post(String path, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isBetween(200, 201);
        return response.body();
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }

    /** A JSON string's content, its escapes undone. */
    private static String unescape(String json) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\') {
                s.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'n' -> s.append('\n');
                case 't' -> s.append('\t');
                case 'r' -> s.append('\r');
                case 'u' -> {
                    s.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> s.append(e);
            }
        }
        return s.toString();
    }
}
