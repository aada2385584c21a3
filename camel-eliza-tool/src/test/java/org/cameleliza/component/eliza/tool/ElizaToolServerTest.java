package org.cameleliza.component.eliza.tool;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MCP server on the embedded HTTP server: the checks of every server, and the Host check and notification stream. */
class ElizaToolServerTest extends ElizaToolServerTestSupport {

    @Override
    protected void configure(CamelContext context, ElizaToolComponent tools) {
        tools.setPort(0);
        tools.setToolChangeNotifications(true);
    }

    @Override
    protected String url() {
        return context.getComponent("eliza-tool", ElizaToolComponent.class).getUrl();
    }

    @Test
    void aLoopbackServerServesOnlyLoopbackHostNames() throws Exception {
        JsonNode init = rpc("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "test", "version", "1")));
        assertThat(init.path("result").path("capabilities").path("tools").path("listChanged").asBoolean()).isTrue();
        // DNS rebinding: a page of attacker.example whose name now points to 127.0.0.1
        URI url = URI.create(client.url());
        try (java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort())) {
            socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: attacker.example:" + url.getPort()
                                            + "\r\nAuthorization: Bearer s3cret\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void theToolListFollowsTheRoutesAndClientsAreNotified() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        client.http().sendAsync(HttpRequest.newBuilder(URI.create(client.url())).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer s3cret").GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().filter(line -> line.startsWith("data:")).forEach(events::add));
        ElizaToolComponent component = context.getComponent("eliza-tool", ElizaToolComponent.class);
        org.awaitility.Awaitility.await().until(() -> component.server().notificationStreamCount() == 1);

        context.getRouteController().stopRoute("slowTool");
        assertThat(events.poll(10, TimeUnit.SECONDS)).contains("notifications/tools/list_changed");
        assertThat(rpc("tools/list", Map.of()).path("result").path("tools")).hasSize(1);
        assertThat(component.getToolNames()).containsExactly("lookupOrder");
        JsonNode gone = rpc("tools/call", Map.of("name", "slowTool", "arguments", Map.of()));
        assertThat(gone.has("error") || gone.path("result").path("isError").asBoolean()).isTrue();

        context.getRouteController().startRoute("slowTool");
        assertThat(events.poll(10, TimeUnit.SECONDS)).contains("notifications/tools/list_changed");
        assertThat(component.getToolNames()).containsExactly("lookupOrder", "slowTool");
    }

    @Test
    void twoRoutesCannotServeOneTool() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza-tool:lookupOrder?description=Again").routeId("again").log("never");
            }
        })).hasStackTraceContaining("The tool lookupOrder is already served by route lookupOrder");
    }

    @Test
    void mistakesInTheUriFailAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint("eliza-tool:lookup order?description=x"))
                .hasStackTraceContaining("a tool name has 1 to 64 letters");
        assertThatThrownBy(() -> context.getEndpoint("eliza-tool:noDescription"))
                .hasStackTraceContaining("the description option is required");
        assertThatThrownBy(() -> context.getEndpoint("eliza-tool:t1?description=x&parameter.id=text"))
                .hasStackTraceContaining("parameter.id=text is not a type");
        assertThatThrownBy(() -> context.getEndpoint("eliza-tool:t2?description=x&parameter.id.description=The id"))
                .hasStackTraceContaining("parameter.id has no type");
        assertThatThrownBy(() -> context.getEndpoint("eliza-tool:t3?description=x&parameter.id=string&parameter.id.optional=true"))
                .hasStackTraceContaining("parameter.id.optional is not an option");
        assertThatThrownBy(() -> context.getEndpoint("eliza-tool:t5?description=x&parameter.id=string&parameter.id.required=yes"))
                .hasStackTraceContaining("parameter.id.required=yes must be true or false");
        assertThatThrownBy(() -> context.getEndpoint("eliza-tool:t4?description=x").createProducer())
                .hasMessageContaining("consumer only");
    }
}
