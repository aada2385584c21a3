package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.UUID;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A TCP proxy between the consumer and the server stops forwarding without closing (a half-open connection). The
 * Engine.IO heartbeat must detect it; the consumer reconnects and recovers what was posted meanwhile, exactly once.
 */
class ElizaHalfOpenIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @Test
    void halfOpenConnectionIsDetectedByTheHeartbeatAndRecoveredFrom() throws Exception {
        String channel = "half-open-" + UUID.randomUUID();
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String viaProxy = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port()
                              + "&reconnectInitialDelay=200&reconnectMaxDelay=1000&httpHeader.X-Tenant=acme";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(viaProxy).routeId("behind-proxy").to("mock:received");
                }
            });
            String direct = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
            MockEndpoint received = getMockEndpoint("mock:received");
            received.setResultWaitTime(120_000);
            received.expectedBodiesReceived("before the freeze", "during 1", "during 2", "during 3", "after");

            received.setAssertPeriod(1500);
            template.sendBody(direct, "before the freeze");
            await().atMost(Duration.ofSeconds(30)).until(() -> received.getReceivedCounter() == 1);

            proxy.freezeOpenConnections();
            template.sendBody(direct, "during 1");
            template.sendBody(direct, "during 2");
            template.sendBody(direct, "during 3");

            ElizaEndpoint endpoint = context.getEndpoint(viaProxy, ElizaEndpoint.class);
            // the server pings every 25 s and gives 20 s for the answer: the client notices within about 45 s
            await().atMost(Duration.ofSeconds(120)).until(() -> endpoint.getDisconnects() >= 1
                                                               && endpoint.isChannelJoined());
            template.sendBody(direct, "after");

            received.assertIsSatisfied();
            assertThat(received.getReceivedExchanges().subList(1, 4)).allSatisfy(
                    e -> assertThat(e.getMessage().getHeader(ElizaConstants.RECOVERED)).isEqualTo(true));
            assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
            assertThat(proxy.firstRequests()).anySatisfy(r -> assertThat(r.toLowerCase()).contains("x-tenant: acme"));
        }
    }
}
