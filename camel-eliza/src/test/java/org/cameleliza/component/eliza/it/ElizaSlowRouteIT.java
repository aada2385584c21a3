package org.cameleliza.component.eliza.it;

import java.util.UUID;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route that blocks longer than the server's heartbeat window (ping interval 25 s + timeout 20 s) must not make the
 * server drop the connection: routing never runs on the Socket.IO event thread.
 */
class ElizaSlowRouteIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @Test
    void aRouteThatSleepsDoesNotCostTheConnection() throws Exception {
        String channel = "slow-" + UUID.randomUUID();
        String consumerUri = "eliza:" + channel + "?url=" + eliza.url();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri)
                        .process(e -> {
                            if ("sleep".equals(e.getMessage().getBody(String.class))) {
                                Thread.sleep(50_000);
                            }
                        })
                        .to("mock:slow");
            }
        });
        MockEndpoint slow = getMockEndpoint("mock:slow");
        slow.setResultWaitTime(120_000);
        String[] bodies = { "sleep", "1", "2", "3", "4", "5" };
        slow.expectedBodiesReceived((Object[]) bodies);

        String sender = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        for (String body : bodies) {
            template.sendBody(sender, body);
        }

        slow.assertIsSatisfied();
        ElizaEndpoint endpoint = context.getEndpoint(consumerUri, ElizaEndpoint.class);
        assertThat(endpoint.getDisconnects()).as("disconnects of the consumer's connection").isZero();
        assertThat(endpoint.getConnectAttempts()).isEqualTo(1);
    }
}
