package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same component against a real elizaOS 1.4.2 server: the older protocol line (serverId instead of
 * messageServerId, no entityId handshake, REST under /central-channels) that signals the end of every agent turn with
 * messageComplete. The server hides its version, as a gateway may: the component infers the line from what the
 * server offers and sends (ElizaServerLinesIT covers every line with the version reported).
 */
class ElizaLegacyServerIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(
            b -> b.line("1.4").environment("ELIZA_TEST_HIDDEN_ROUTES", "/api/system/version"));

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
    void aServerThatHidesItsVersionIsKnownByWhatItOffersAndSends() {
        String uri = uri("legacy-inferred-" + UUID.randomUUID());
        String oneWay = uri + "&requestReply=false";
        assertThat(template.send(oneWay, e -> e.getMessage().setBody("one way")).getException()).isNull();
        ElizaEndpoint endpoint = context.getEndpoint(oneWay, ElizaEndpoint.class);
        // no /message-server/current
        assertThat(endpoint.getServerVersion()).isEqualTo("1.5 or earlier");

        Exchange reply = template.request(uri, e -> e.getMessage().setBody("[ignore] me"));

        // messageComplete ended the agent's turn: only the lines up to 1.4 send it
        assertThat(reply.getMessage().getHeader(ElizaConstants.NO_REPLY)).isEqualTo(true);
        assertThat(endpoint.getServerVersion()).isEqualTo("1.4 or earlier");
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
        MockEndpoint gap = consumerCutOffWhile("gap", "", List.of("before", "missed 1", "missed 2", "after"),
                "missed 1", "missed 2");
        assertThat(gap.getReceivedExchanges().subList(1, 3))
                .allSatisfy(e -> assertThat(e.getMessage().getHeader(ElizaConstants.RECOVERED)).isEqualTo(true));
    }

    @Test
    void withoutGapRecoveryWhatWasPostedWhileAwayIsNotDelivered() throws Exception {
        // in order: had "missed" been recovered, it would stand between these two
        consumerCutOffWhile("nogap", "&gapRecovery=false", List.of("before", "after"), "missed");
    }

    /**
     * A consumer behind a proxy gets "before"; then its connection is cut (and new ones refused) while another client
     * posts {@code whileAway}; once it is connected again, "after" is posted. Returns once the consumer received
     * {@code expected}, in order, with the proxy still up.
     */
    private MockEndpoint consumerCutOffWhile(String name, String options, List<String> expected, String... whileAway)
            throws Exception {
        String channel = "legacy-" + name + "-" + UUID.randomUUID();
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String viaProxy = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port()
                              + "&reconnectInitialDelay=200&reconnectMaxDelay=500" + options;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(viaProxy).to("mock:" + name);
                }
            });
            MockEndpoint mock = getMockEndpoint("mock:" + name);
            mock.setResultWaitTime(60_000);
            mock.expectedBodiesReceived(expected.toArray());
            mock.setAssertPeriod(1500);
            ElizaEndpoint endpoint = context.getEndpoint(viaProxy, ElizaEndpoint.class);
            String direct = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();

            template.sendBody(direct, "before");
            await().atMost(Duration.ofSeconds(30)).until(() -> mock.getReceivedCounter() == 1);
            proxy.setRefusing(true);
            proxy.closeOpenConnections();
            for (String body : whileAway) {
                template.sendBody(direct, body);
            }
            proxy.setRefusing(false);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> endpoint.getDisconnects() >= 1 && endpoint.isChannelJoined());
            template.sendBody(direct, "after");
            mock.assertIsSatisfied();
            return mock;
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

        events.setAssertPeriod(1500);
        template.sendBody(uri(channel) + "&requestReply=false", "turn");

        events.assertIsSatisfied();
        assertThat(events.getReceivedExchanges().get(1).getMessage().getHeader(ElizaConstants.CHANNEL_ID))
                .isEqualTo(ElizaIds.channelId(channel));
    }

    @Test
    void theSecondMessageOfAnAgentsTurnIsNotTakenForTheNextRequestsReply() throws Exception {
        // [twice]: the agent answers, then posts a second message 1.5 s later in the same turn
        String uri = uri("legacy-twice-" + UUID.randomUUID());
        Exchange first = template.request(uri, e -> e.getMessage().setBody("[twice] first"));
        assertThat(first.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "[twice] first"));

        // asked right away: the second message of the first turn arrives while this one waits
        Exchange second = template.request(uri, e -> e.getMessage().setBody("[slow:2500] second"));

        assertThat(second.getException()).isNull();
        assertThat(second.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "[slow:2500] second"));
    }

    @Test
    void anAnswerToSomeoneElsesMessageIsNotTakenForTheReply() throws Exception {
        String channel = "legacy-other-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(channel) + "&agentMessagesOnly=true").to("mock:agentSays");
            }
        });
        MockEndpoint agentSays = getMockEndpoint("mock:agentSays");
        agentSays.setResultWaitTime(30000);
        agentSays.expectedBodiesReceived(ElizaTestServer.expectedReply(agent(), "[twice] a note"));
        // another user of the room says something, one-way; the agent answers it, then follows up 1.5 s later
        assertThat(template.send(uri(channel) + "&entityId=" + UUID.randomUUID() + "&requestReply=false",
                e -> e.getMessage().setBody("[twice] a note")).getException()).isNull();
        agentSays.assertIsSatisfied();

        Exchange reply = template.request(uri(channel), e -> e.getMessage().setBody("[slow:2500] my question"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "[slow:2500] my question"));
    }
}
