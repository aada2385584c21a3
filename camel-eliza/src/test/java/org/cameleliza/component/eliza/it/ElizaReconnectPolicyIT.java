package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the server is down, the producer waits up to connectTimeout and fails the exchange; a connection with
 * maxReconnectAttempts gives up after that many attempts and says so; a restarted route gets a fresh connection.
 */
class ElizaReconnectPolicyIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> {
    });

    @Test
    void producerWaitsThenFailsAndABoundedConnectionGivesUp() throws Exception {
        ElizaTestSupport.enableProducerHealthChecks(context);
        String uri = "eliza:policy-" + UUID.randomUUID() + "?url=" + eliza.url()
                     + "&connectTimeout=1500&reconnectInitialDelay=100&reconnectMaxDelay=200&maxReconnectAttempts=3";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("sender").to(uri);
            }
        });
        assertThat(template.send("direct:send", e -> e.getMessage().setBody("while up")).getException()).isNull();
        ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);

        eliza.server().kill();
        Exchange whileDown = template.send("direct:send", e -> e.getMessage().setBody("while down"));
        assertThat(whileDown.getException()).isInstanceOf(ElizaConnectionException.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(endpoint.getConnectionState()));
        HealthCheck.Result producerHealth = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("producer:eliza-")).findFirst().orElseThrow();
        assertThat(producerHealth.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(producerHealth.getMessage()).get().asString().contains("FAILED").contains("gave up");
        assertThat(endpoint.getConnectAttempts()).as("first connect plus three reconnect attempts").isEqualTo(4);
        Exchange afterGivingUp = template.send("direct:send", e -> e.getMessage().setBody("after giving up"));
        assertThat(afterGivingUp.getException()).isInstanceOf(ElizaConnectionException.class)
                .hasMessageContaining("gave up after 3 reconnect attempts");

        eliza.server().start();
        context.getRouteController().stopRoute("sender");
        context.getRouteController().startRoute("sender");
        Exchange afterRestart = template.send("direct:send", e -> e.getMessage().setBody("after restart"));
        assertThat(afterRestart.getException()).isNull();
        assertThat(endpoint.getConnectionState()).isEqualTo("CONNECTED");
    }
}
