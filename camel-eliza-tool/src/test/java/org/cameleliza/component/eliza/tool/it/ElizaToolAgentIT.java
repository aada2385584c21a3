package org.cameleliza.component.eliza.tool.it;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.tool.ElizaToolComponent;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent of a real elizaOS 1.7.2 server calls Camel routes through {@code @elizaos/plugin-mcp}: a user's message in a
 * channel, the agent's decision to call the tool, the route, and the agent's answer with the route's result.
 */
class ElizaToolAgentIT {

    private static final int TOOL_PORT = ElizaTestServer.freePort();
    private static ElizaTestServer eliza;
    private static String agentId;
    private static CamelContext camel;
    private static ProducerTemplate producer;
    private static volatile CountDownLatch releaseSlowTool = new CountDownLatch(1);

    /**
     * The start order that trips users: the agent starts first and finds no MCP server; its plugin tries again after
     * 2, 4, 8, 16 and 32 seconds, and learns the tools once the Camel application is up.
     */
    @BeforeAll
    static void startElizaThenTheApplication() throws Exception {
        // tag::agent[]
        eliza = ElizaTestServer.builder()
                .logFile(Paths.get("target", "eliza-server-logs", "test-server-tools.log"))
                .agent(ElizaTestAgent.named("Support")
                        .usingMcpServer("orders", "http://127.0.0.1:" + TOOL_PORT + "/mcp")
                        .callingTool("where is order ([\\w-]+)", "orders", "lookupOrder", Map.of("orderId", "$1"))
                        .callingTool("hand me over: (.+)", "orders", "handOver", Map.of("reason", "$1"))
                        // longer than the tools' own timeouts: the route's timeout answers first
                        .mcpTimeout(Duration.ofSeconds(30)))
                .build().start();
        // end::agent[]
        agentId = eliza.agent("Support").id();
        camel = startApplication("first run");
        producer = camel.createProducerTemplate();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .until(() -> !ask("tools-0", "Where is order 0?").contains("could not call tool"));
    }

    @AfterAll
    static void stopAll() {
        releaseSlowTool.countDown();
        if (camel != null) {
            camel.stop();
        }
        if (eliza != null) {
            eliza.close();
        }
    }

    @BeforeEach
    void armSlowTool() {
        releaseSlowTool = new CountDownLatch(1);
    }

    @AfterEach
    void releaseSlowTool() {
        releaseSlowTool.countDown();
    }

    /** The application under test: its tool routes, and the eliza: endpoint the test asks the agent through. */
    private static CamelContext startApplication(String run) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getComponent("eliza-tool", ElizaToolComponent.class).setPort(TOOL_PORT);
        context.getComponent("eliza", ElizaComponent.class).getConfiguration().setUrl(eliza.url());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // tag::tools[]
                from("eliza-tool:lookupOrder?description=Looks up an order by its number"
                     + "&parameter.orderId=string&parameter.orderId.description=The order number"
                     + "&parameter.orderId.required=true&timeout=3000")
                        .routeId("lookupOrder")
                        .choice()
                            .when(header("orderId").isEqualTo("broken"))
                                .throwException(new IllegalStateException("The order database is down"))
                            .when(header("orderId").startsWith("slow"))
                                .process(exchange -> releaseSlowTool.await(60, TimeUnit.SECONDS))
                            .otherwise()
                                .setBody(simple("Order ${header.orderId} was shipped on 2024-05-02 (" + run + ")"));
                from("eliza-tool:handOver?description=Hands the conversation over to a human"
                     + "&parameter.reason=string&parameter.reason.required=true")
                        .routeId("handOver")
                        .setBody(simple("Ticket opened: ${header.reason}"));
                // end::tools[]
            }
        });
        context.start();
        return context;
    }

    private static String ask(String channel, String question) {
        return producer.requestBody("eliza:" + channel + "?agentId=" + agentId + "&replyTimeout=60000", question,
                String.class);
    }

    @Test
    void theAgentCallsTheRouteAndAnswersWithItsResult() {
        assertThat(ask("tools-1", "Hello, where is order 4711?"))
                .startsWith("Order 4711 was shipped on 2024-05-02");
        assertThat(ask("tools-1", "Please hand me over: the parcel is damaged"))
                .isEqualTo("Ticket opened: the parcel is damaged");
    }

    @Test
    void aRouteThatThrowsGivesAnAnswerWithTheError() {
        assertThat(ask("tools-2", "Where is order broken?"))
                .isEqualTo("orders/lookupOrder failed: The order database is down");
    }

    @Test
    void aToolSlowerThanItsTimeoutGivesAnAnswerThatSaysSo() {
        assertThat(ask("tools-3", "Where is order slow-1?"))
                .isEqualTo("orders/lookupOrder failed: The tool lookupOrder did not answer within 3000 ms");
        releaseSlowTool.countDown();
        // and the agent goes on calling it
        assertThat(ask("tools-3", "Where is order 12?")).startsWith("Order 12 was shipped on 2024-05-02");
    }

    @Test
    void theAgentCallsTheToolsOfARestartedApplication() throws Exception {
        assertThat(ask("tools-4", "Where is order 1?")).startsWith("Order 1 was shipped on 2024-05-02");
        camel.stop();
        // a new application on the same port: the stateless server has no session the agent would have to renew
        camel = startApplication("second run");
        producer = camel.createProducerTemplate();
        assertThat(ask("tools-4", "Where is order 2?")).isEqualTo("Order 2 was shipped on 2024-05-02 (second run)");
    }
}
