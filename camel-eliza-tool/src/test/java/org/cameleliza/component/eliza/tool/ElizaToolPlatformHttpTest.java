package org.cameleliza.component.eliza.tool;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.DefaultComponentResolver;
import org.apache.camel.spi.ComponentResolver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MCP server on the application's platform-http server (Vert.x's, as Camel Main's camel-platform-http-main runs
 * it): the checks of every server, and what platform-http changes.
 */
class ElizaToolPlatformHttpTest extends ElizaToolServerTestSupport {

    private VertxPlatformHttpServer platform;

    @Override
    protected void configure(CamelContext context, ElizaToolComponent tools) throws Exception {
        tools.setPlatformHttp(true);
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost("127.0.0.1");
        configuration.setBindPort(0);
        platform = new VertxPlatformHttpServer(configuration);
        context.addService(platform);
    }

    @Override
    protected String url() {
        return "http://127.0.0.1:" + platform.getPort() + "/mcp";
    }

    @Test
    void theEndpointIsARouteOfThePlatformServer() {
        ElizaToolComponent component = context.getComponent("eliza-tool", ElizaToolComponent.class);
        assertThat(context.getRoute("eliza-tool-mcp").getEndpoint().getEndpointUri()).startsWith("platform-http:");
        assertThat(component.getUrl()).isNull();
        assertThat(component.getToolNames()).containsExactly("lookupOrder", "slowTool");
    }

    @Test
    void theRequestsHeadersDoNotGoBack() throws Exception {
        HttpResponse<String> response = client.post(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list"),
                Map.of("Authorization", "Bearer s3cret", "Origin", "http://console.example"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.equalsIgnoreCase("Authorization")
                                                                        || name.equalsIgnoreCase("Origin")
                                                                        || name.regionMatches(true, 0, "Camel", 0, 5));
    }

    @Test
    void aGetIsAnswered405AsWithoutNotifications() throws Exception {
        HttpResponse<String> response = client.http().send(HttpRequest.newBuilder(URI.create(client.url()))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer s3cret").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void aNotificationIsAccepted() throws Exception {
        HttpResponse<String> response = client.post(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"),
                auth());
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void aToolRouteAddedToARunningApplicationIsServed() throws Exception {
        try (CamelContext other = new DefaultCamelContext()) {
            VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
            configuration.setBindHost("127.0.0.1");
            configuration.setBindPort(0);
            VertxPlatformHttpServer otherPlatform = new VertxPlatformHttpServer(configuration);
            other.addService(otherPlatform);
            ElizaToolComponent tools = new ElizaToolComponent();
            tools.setPlatformHttp(true);
            tools.setPath("/tools/mcp");
            other.addComponent("eliza-tool", tools);
            other.start();
            // the component starts with its first endpoint, in a running context
            other.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("eliza-tool:echo?description=Echoes&parameter.text=string").setBody(header("text"));
                }
            });
            assertThat(other.getRoute("eliza-tool-tools-mcp")).isNotNull();
            McpTestClient late = new McpTestClient("http://127.0.0.1:" + otherPlatform.getPort() + "/tools/mcp");
            assertThat(McpTestClient.text(late.callTool("echo", Map.of("text", "hi")))).isEqualTo("hi");
        }
    }

    @Test
    void withoutPlatformHttpTheApplicationDoesNotStart() throws Exception {
        try (CamelContext other = new DefaultCamelContext()) {
            // as if no platform-http component were on the classpath
            ComponentResolver resolver = new DefaultComponentResolver();
            other.getCamelContextExtension().addContextPlugin(ComponentResolver.class,
                    (name, ctx) -> "platform-http".equals(name) ? null : resolver.resolveComponent(name, ctx));
            ElizaToolComponent tools = new ElizaToolComponent();
            tools.setPlatformHttp(true);
            other.addComponent("eliza-tool", tools);
            assertThatThrownBy(other::start).hasStackTraceContaining("needs the platform-http component: add"
                                                                     + " camel-platform-http-main");
        }
    }

    @Test
    void toolChangeNotificationsNeedTheEmbeddedServer() throws Exception {
        try (CamelContext other = new DefaultCamelContext()) {
            ElizaToolComponent tools = new ElizaToolComponent();
            tools.setPlatformHttp(true);
            tools.setToolChangeNotifications(true);
            other.addComponent("eliza-tool", tools);
            assertThatThrownBy(other::start).hasStackTraceContaining("toolChangeNotifications needs its embedded server");
        }
    }
}
