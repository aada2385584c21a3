package org.cameleliza.component.eliza.tool;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP server as a client sees it over HTTP, whichever HTTP server serves it: the component, real routes, the JDK's
 * HTTP client. A subclass configures the component and its server, and tests what only its server does.
 */
abstract class ElizaToolServerTestSupport {

    protected final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowToolDone = new CountDownLatch(1);
    protected CamelContext context;
    protected McpTestClient client;

    /** Adds the component (and the HTTP server it needs) to the context; the token is s3cret, the origin console's. */
    protected abstract void configure(CamelContext context, ElizaToolComponent tools) throws Exception;

    /** The URL of the MCP endpoint once the context has started. */
    protected abstract String url();

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        ElizaToolComponent tools = new ElizaToolComponent();
        tools.setBearerToken("s3cret");
        tools.setAllowedOrigins("http://console.example");
        configure(context, tools);
        context.addComponent("eliza-tool", tools);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza-tool:lookupOrder?description=Look up an order by its number&parameter.orderId=string"
                     + "&parameter.orderId.description=The order number&parameter.orderId.required=true"
                     + "&parameter.verbose=boolean&parameter.unit=string&parameter.unit.enum=kg,lb")
                        .routeId("lookupOrder")
                        .choice()
                            .when(header("orderId").isEqualTo("404"))
                                .setHeader(ElizaToolConstants.TOOL_ERROR, constant(true))
                                .setBody(simple("There is no order ${header.orderId}"))
                            .when(header("orderId").isEqualTo("boom"))
                                .throwException(new IllegalStateException("The order database is down"))
                            .when(header("orderId").isEqualTo("slow"))
                                .process(exchange -> release.await(20, TimeUnit.SECONDS))
                            .when(header("orderId").isEqualTo("list"))
                                .setBody(constant(List.of(Map.of("id", "1"), Map.of("id", "2"))))
                            .otherwise()
                                .setBody(simple("Order ${header.orderId}: shipped (body ${body})"));
                from("eliza-tool:slowTool?description=Waits&timeout=300")
                        .routeId("slowTool")
                        .process(exchange -> release.await(20, TimeUnit.SECONDS))
                        .setBody(constant("too late"))
                        .process(exchange -> slowToolDone.countDown());
            }
        });
        context.start();
        client = new McpTestClient(url());
    }

    @AfterEach
    void stop() {
        release.countDown();
        context.stop();
    }

    protected static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer s3cret");
    }

    protected JsonNode rpc(String method, Object params) throws Exception {
        HttpResponse<String> response = client.post(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params),
                auth());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    protected JsonNode call(String tool, Map<String, Object> arguments) throws Exception {
        return rpc("tools/call", Map.of("name", tool, "arguments", arguments)).path("result");
    }

    @Test
    void initializeAndListTheToolsOfTheRunningRoutes() throws Exception {
        JsonNode init = rpc("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "test", "version", "1")));
        assertThat(init.path("result").path("serverInfo").path("name").asText()).isEqualTo("camel-eliza");

        JsonNode tools = rpc("tools/list", Map.of()).path("result").path("tools");
        assertThat(tools).hasSize(2);
        JsonNode lookup = Stream.of(tools.get(0), tools.get(1)).filter(t -> t.path("name").asText().equals("lookupOrder"))
                .findFirst().orElseThrow();
        assertThat(lookup.path("description").asText()).isEqualTo("Look up an order by its number");
        JsonNode schema = lookup.path("inputSchema");
        assertThat(schema.path("properties").path("orderId").path("type").asText()).isEqualTo("string");
        assertThat(schema.path("properties").path("orderId").path("description").asText()).isEqualTo("The order number");
        assertThat(schema.path("properties").path("verbose").path("type").asText()).isEqualTo("boolean");
        assertThat(schema.path("properties").path("unit").path("enum").toString()).isEqualTo("[\"kg\",\"lb\"]");
        assertThat(schema.path("required")).hasSize(1);
        assertThat(schema.path("required").get(0).asText()).isEqualTo("orderId");
    }

    @Test
    void theRoutesResultIsTheToolsResult() throws Exception {
        JsonNode result = call("lookupOrder", Map.of("orderId", "4711"));
        assertThat(result.path("isError").asBoolean()).isFalse();
        assertThat(McpTestClient.text(result)).isEqualTo("Order 4711: shipped (body {\"orderId\":\"4711\"})");

        JsonNode list = call("lookupOrder", Map.of("orderId", "list"));
        assertThat(McpTestClient.text(list)).isEqualTo("[{\"id\":\"1\"},{\"id\":\"2\"}]");
    }

    @Test
    void everyFailureIsAToolErrorTheAgentReads() throws Exception {
        JsonNode thrown = call("lookupOrder", Map.of("orderId", "boom"));
        assertThat(thrown.path("isError").asBoolean()).isTrue();
        assertThat(McpTestClient.text(thrown)).isEqualTo("The order database is down");

        JsonNode handled = call("lookupOrder", Map.of("orderId", "404"));
        assertThat(handled.path("isError").asBoolean()).isTrue();
        assertThat(McpTestClient.text(handled)).isEqualTo("There is no order 404");

        JsonNode missing = call("lookupOrder", Map.of("verbose", true));
        assertThat(missing.path("isError").asBoolean()).isTrue();
        assertThat(McpTestClient.text(missing)).contains("orderId");

        JsonNode wrongType = call("lookupOrder", Map.of("orderId", "1", "verbose", "very"));
        assertThat(wrongType.path("isError").asBoolean()).isTrue();
        assertThat(McpTestClient.text(wrongType)).contains("verbose");

        JsonNode unknown = rpc("tools/call", Map.of("name", "noSuchTool", "arguments", Map.of()));
        assertThat(unknown.has("error") || unknown.path("result").path("isError").asBoolean()).isTrue();
    }

    @Test
    void aCallThatOutlivesItsTimeoutIsAnsweredAsAnError() throws Exception {
        JsonNode result = call("slowTool", Map.of());
        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(McpTestClient.text(result)).isEqualTo("The tool slowTool did not answer within 300 ms");
        // answered while the route still runs (no HTTP thread waited for it); once it ends, the server goes on serving
        assertThat(slowToolDone.getCount()).isEqualTo(1);
        release.countDown();
        assertThat(slowToolDone.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(McpTestClient.text(call("lookupOrder", Map.of("orderId", "1")))).startsWith("Order 1:");
    }

    @Test
    void callsRunInParallel() throws Exception {
        // a slow call does not hold the others up
        Thread slow = new Thread(() -> {
            try {
                call("lookupOrder", Map.of("orderId", "slow"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        slow.start();
        for (int i = 0; i < 20; i++) {
            assertThat(McpTestClient.text(call("lookupOrder", Map.of("orderId", "n" + i)))).startsWith("Order n" + i);
        }
        assertThat(slow.isAlive()).isTrue();
        release.countDown();
        slow.join(20000);
    }

    @Test
    void requestsWithoutTheTokenOrFromOtherOriginsAreRefused() throws Exception {
        Map<String, Object> list = Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list");
        HttpResponse<String> noToken = client.post(list, Map.of());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"eliza-tool\"");
        assertThat(client.post(list, Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
        assertThat(client.post(list, Map.of("Authorization", "Bearer s3cret", "Origin", "http://evil.example"))
                .statusCode()).isEqualTo(403);
        assertThat(client.post(list, Map.of("Authorization", "Bearer s3cret", "Origin", "http://console.example"))
                .statusCode()).isEqualTo(200);
        assertThat(client.post("not json-rpc", auth()).statusCode()).isEqualTo(400);
    }
}
