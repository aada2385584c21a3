package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application starts before its Eliza server (a reboot where the application comes up first, a rolling deploy):
 * the routes start, report DOWN with the reason, connect in the background, and route what is posted once the server
 * is up. A producer's exchange sent meanwhile fails after connectTimeout, naming the reason.
 */
class ElizaStartBeforeServerIT extends CamelTestSupport {

    private ElizaTestServer server;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getCamelContextExtension().getContextPlugin(HealthCheckRegistry.class).setEnabled(true);
        return context;
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void routesStartWithoutTheServerAndRouteWhatIsPostedOnceItIsUp() throws Exception {
        int port = ElizaTestServer.freePort();
        String url = "http://127.0.0.1:" + port;
        String channel = "early-" + UUID.randomUUID();
        String consumerUri = "eliza:" + channel + "?url=" + url + "&reconnectInitialDelay=200&reconnectMaxDelay=1000";
        String producerUri = "eliza:" + channel + "?url=" + url + "&entityId=" + UUID.randomUUID()
                             + "&connectTimeout=1500&reconnectInitialDelay=200&reconnectMaxDelay=1000";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri).routeId("room").to("mock:room");
            }
        });
        // the context started with the route: nothing listens on the port
        assertThat(context.getRouteController().getRouteStatus("room").isStarted()).isTrue();
        ElizaEndpoint endpoint = context.getEndpoint(consumerUri, ElizaEndpoint.class);
        HealthCheck.Result down = consumerReadiness();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("Not connected"));

        Exchange early = template.send(producerUri, e -> e.getMessage().setBody("too early"));
        assertThat(early.getException()).isInstanceOf(ElizaConnectionException.class)
                .hasMessageContaining("within 1500 ms").hasMessageContaining(url);

        server = ElizaTestServer.builder().port(port)
                .logFile(java.nio.file.Path.of("target/eliza-server-logs/ElizaStartBeforeServerIT.log")).build().start();
        await().atMost(Duration.ofSeconds(60)).until(endpoint::isChannelJoined);
        await().atMost(Duration.ofSeconds(30)).until(() -> consumerReadiness().getState() == HealthCheck.State.UP);

        MockEndpoint room = getMockEndpoint("mock:room");
        room.setResultWaitTime(60000);
        String[] bodies = new String[20];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = "after start " + i;
        }
        room.expectedBodiesReceived((Object[]) bodies);
        for (String body : bodies) {
            Exchange sent = template.send(producerUri, e -> e.getMessage().setBody(body));
            assertThat(sent.getException()).as(body).isNull();
        }
        room.assertIsSatisfied();
    }

    private HealthCheck.Result consumerReadiness() {
        return HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:room")).findFirst().orElseThrow();
    }
}
