package org.cameleliza.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.component.eliza.tool.ElizaToolComponent;
import reactor.core.publisher.Mono;

/**
 * Tool calls per second one application serves: {@code tools/call} over HTTP/1.1 with 1 and 16 calls in flight, to
 * an eliza-tool route ({@code setBody}) and, as the baseline, to the MCP Java SDK's stateless server on the JDK's
 * HTTP server answering the same result in a plain handler (no Camel), in the same process, interleaved.
 */
final class ToolCallBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolCallBench() {
    }

    /** A server that answers tools/call of the tool "lookupOrder"; closed after its rounds. */
    interface ToolServer extends AutoCloseable {
        String url();

        @Override
        void close() throws Exception;
    }

    static ToolServer elizaTool() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getComponent("eliza-tool", ElizaToolComponent.class).setPort(0);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza-tool:lookupOrder?description=Looks up an order&parameter.orderId=string")
                        .setBody(simple("Order ${header.orderId} was shipped"));
            }
        });
        context.start();
        String url = context.getComponent("eliza-tool", ElizaToolComponent.class).getUrl();
        return new ToolServer() {
            public String url() {
                return url;
            }

            public void close() {
                context.stop();
            }
        };
    }

    /**
     * The SDK alone: its stateless server, a handler that answers at once, the JDK's HTTP server with TCP_NODELAY (as
     * eliza-tool sets it: without it every call waits 40 ms for a delayed ACK, and the ratio would measure that).
     */
    static ToolServer sdkAlone() throws IOException {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(JSON);
        McpStatelessServerHandler[] handler = new McpStatelessServerHandler[1];
        McpStatelessServerTransport transport = new McpStatelessServerTransport() {
            public void setMcpHandler(McpStatelessServerHandler h) {
                handler[0] = h;
            }

            public Mono<Void> closeGracefully() {
                return Mono.empty();
            }
        };
        McpSchema.Tool tool = McpSchema.Tool.builder().name("lookupOrder").description("Looks up an order")
                .inputSchema(new McpSchema.JsonSchema("object",
                        Map.of("orderId", Map.of("type", "string")), List.of(), null, null, null))
                .build();
        McpServer.async(transport).jsonMapper(json)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .toolCall(tool, (context, request) -> Mono.just(McpSchema.CallToolResult.builder()
                        .addTextContent("Order " + request.arguments().get("orderId") + " was shipped").build()))
                .build();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/mcp", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                McpSchema.JSONRPCRequest request = (McpSchema.JSONRPCRequest) McpSchema.deserializeJsonRpcMessage(json,
                        body);
                byte[] answer = json.writeValueAsBytes(handler[0].handleRequest(McpTransportContext.EMPTY, request)
                        .block());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        http.start();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/mcp";
        return new ToolServer() {
            public String url() {
                return url;
            }

            public void close() {
                http.stop(0);
            }
        };
    }

    /** {@code n} calls after {@code warmup}, at most {@code inFlight} at a time: calls per second and latencies. */
    static Map<String, Object> run(String variant, ToolServer server, int inFlight, int warmup, int n)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(Math.max(2, inFlight))).build();
        calls(http, server.url(), inFlight, warmup, null);
        Latencies latencies = new Latencies(n);
        long start = System.nanoTime();
        calls(http, server.url(), inFlight, n, latencies);
        return Latencies.result("toolCalls", variant, inFlight, n, System.nanoTime() - start, latencies);
    }

    private static void calls(HttpClient http, String url, int inFlight, int count, Latencies latencies)
            throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            int index = i;
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                          + "\"lookupOrder\",\"arguments\":{\"orderId\":\"" + i + "\"}}}";
            long sent = System.nanoTime();
            CompletableFuture<?> call = http.sendAsync(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        if (response.statusCode() != 200 || !response.body().contains("was shipped")) {
                            throw new IllegalStateException("Unexpected answer: " + response.body());
                        }
                        if (latencies != null) {
                            latencies.record(index, System.nanoTime() - sent);
                        }
                    })
                    .whenComplete((ok, error) -> slots.release());
            pending.add(call);
            if (pending.size() > 1000) {
                pending.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }
}
