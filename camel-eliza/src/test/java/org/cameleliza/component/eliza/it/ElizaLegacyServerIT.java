package org.cameleliza.component.eliza.it;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.testserver.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same component against a real elizaOS 1.4.2 server: the older protocol line (serverId instead of
 * messageServerId, no entityId handshake, REST under /central-channels) that signals the end of every agent turn with
 * messageComplete.
 */
class ElizaLegacyServerIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(ElizaTestServer.Builder::legacy14);

    private ElizaTestServer.Agent agent() {
        return eliza.server().agent();
    }

    private String uri(String channel) {
        return "eliza:" + channel + "?url=" + eliza.url() + "&agentId=" + agent().id();
    }

    @Test
    void requestReplyWorksOnElizaOs14() {
        Exchange reply = template.request(uri("legacy-" + UUID.randomUUID()), e -> e.getMessage().setBody("hello 1.4"));
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent(), "hello 1.4"));
        assertThat(reply.getMessage().getHeader(ElizaConstants.NO_REPLY)).isNull();
    }

    @Test
    void agentThatFinishesWithoutAnsweringEndsTheWaitAtOnceWithNoReply() {
        // replyTimeout is long: the exchange must end because of messageComplete, not because of the timeout
        Exchange reply = template.request(uri("legacy-ignore-" + UUID.randomUUID()) + "&replyTimeout=600000",
                e -> e.getMessage().setBody("please [ignore] this"));
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody()).isNull();
        assertThat(reply.getMessage().getHeader(ElizaConstants.NO_REPLY)).isEqualTo(true);
    }

    @Test
    void gapRecoveryUsesTheOlderRestRoutes() throws Exception {
        String channel = "legacy-gap-" + UUID.randomUUID();
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String viaProxy = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port()
                              + "&reconnectInitialDelay=200&reconnectMaxDelay=500";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(viaProxy).to("mock:gap");
                }
            });
            MockEndpoint gap = getMockEndpoint("mock:gap");
            gap.setResultWaitTime(60_000);
            gap.expectedBodiesReceived("before", "missed 1", "missed 2", "after");
            String direct = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();

            template.sendBody(direct, "before");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> gap.getReceivedCounter() == 1);
            proxy.setRefusing(true);
            proxy.closeOpenConnections();
            template.sendBody(direct, "missed 1");
            template.sendBody(direct, "missed 2");
            proxy.setRefusing(false);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> gap.getReceivedCounter() == 3);
            template.sendBody(direct, "after");

            gap.assertIsSatisfied();
            assertThat(gap.getReceivedExchanges().get(1).getMessage().getHeader(ElizaConstants.RECOVERED)).isEqualTo(true);
            assertThat(gap.getReceivedExchanges().get(2).getMessage().getHeader(ElizaConstants.RECOVERED)).isEqualTo(true);
        }
    }

    @Test
    void withoutGapRecoveryWhatWasPostedWhileAwayIsNotDelivered() throws Exception {
        String channel = "legacy-nogap-" + UUID.randomUUID();
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String viaProxy = "eliza:" + channel + "?gapRecovery=false&url=http://127.0.0.1:" + proxy.port()
                              + "&reconnectInitialDelay=200&reconnectMaxDelay=500";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(viaProxy).to("mock:nogap");
                }
            });
            MockEndpoint nogap = getMockEndpoint("mock:nogap");
            nogap.setResultWaitTime(60_000);
            // in order: had "missed" been recovered, it would stand between these two
            nogap.expectedBodiesReceived("before", "after");
            String direct = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
            ElizaEndpoint endpoint = context.getEndpoint(viaProxy, ElizaEndpoint.class);

            template.sendBody(direct, "before");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> nogap.getReceivedCounter() == 1);
            proxy.setRefusing(true);
            proxy.closeOpenConnections();
            template.sendBody(direct, "missed");
            proxy.setRefusing(false);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> endpoint.getDisconnects() >= 1 && "CONNECTED".equals(endpoint.getConnectionState()));
            template.sendBody(direct, "after");

            nogap.assertIsSatisfied();
        }
    }

    @Test
    void consumerReceivesMessageCompleteEventsOfItsChannel() throws Exception {
        String channel = "legacy-events-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(channel) + "&events=messageBroadcast,messageComplete").to("mock:legacy");
            }
        });
        MockEndpoint events = getMockEndpoint("mock:legacy");
        events.setResultWaitTime(60_000);
        events.expectedHeaderValuesReceivedInAnyOrder(ElizaConstants.EVENT, "messageBroadcast", "messageComplete");
        events.expectedBodiesReceived(ElizaTestServer.expectedReply(agent(), "turn"), null);

        template.sendBody(uri(channel), "turn");

        events.assertIsSatisfied();
        assertThat(events.getReceivedExchanges().get(1).getMessage().getHeader(ElizaConstants.CHANNEL_ID))
                .isEqualTo(ElizaIds.channelId(channel));
    }
}
