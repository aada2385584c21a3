package org.cameleliza.component.eliza.it;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a consumer delivers: filters, body types, events, order, and per-exchange producer headers.
 */
class ElizaConsumerSemanticsIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private ElizaTestServer.Agent agent() {
        return eliza.server().agent();
    }

    private String base(String channel) {
        return "eliza:" + channel + "?url=" + eliza.url() + "&agentId=" + agent().id();
    }

    private MockEndpoint mock(String name) {
        MockEndpoint mock = getMockEndpoint("mock:" + name);
        mock.setResultWaitTime(30000);
        return mock;
    }

    @Test
    void agentOnlyFilterDeliversTheAgentsReplyButNotOurEchoNorOtherUsers() throws Exception {
        String channel = "agent-only-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(base(channel) + "&agentMessagesOnly=true").to("mock:agent");
                from(base(channel)).to("mock:all");
                from(base(channel) + "&includeOwnMessages=true").to("mock:withOwn");
            }
        });
        String question = "who are you?";
        String answer = ElizaTestServer.expectedReply(agent(), question);
        String other = "a word from another user";
        String otherAnswer = ElizaTestServer.expectedReply(agent(), other);
        MockEndpoint agentOnly = mock("agent");
        agentOnly.expectedBodiesReceived(answer, otherAnswer);
        agentOnly.setAssertPeriod(1500);
        MockEndpoint all = mock("all");
        all.expectedBodiesReceived(answer, other, otherAnswer);
        all.setAssertPeriod(1500);
        MockEndpoint withOwn = mock("withOwn");
        withOwn.expectedBodiesReceived(question, answer, other, otherAnswer);

        withOwn.setAssertPeriod(1500);
        // InOut: returns once the agent answered, so the order in the channel is known
        template.request(base(channel), e -> e.getMessage().setBody(question));
        // another user in the same channel; the agent, a participant, answers it too
        NodePeer.post(eliza.url(), UUID.randomUUID().toString(), ElizaIds.channelId(channel), "Other", other);

        agentOnly.assertIsSatisfied();
        all.assertIsSatisfied();
        withOwn.assertIsSatisfied();
        assertThat(agentOnly.getReceivedExchanges()).allSatisfy(
                e -> assertThat(e.getMessage().getHeader(ElizaConstants.SENDER_ID)).isEqualTo(agent().id()));
    }

    @Test
    void bodyTypes() throws Exception {
        String channel = "body-types-" + UUID.randomUUID();
        String sender = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + channel + "?url=" + eliza.url()).to("mock:text");
                from("eliza:" + channel + "?bodyType=map&url=" + eliza.url()).to("mock:map");
                from("eliza:" + channel + "?bodyType=json&url=" + eliza.url()).to("mock:json");
            }
        });
        mock("text").expectedBodiesReceived("bodies");
        mock("map").expectedMessageCount(1);
        mock("json").expectedMessageCount(1);

        template.sendBody(sender, "bodies");

        MockEndpoint.assertIsSatisfied(context);
        Map<?, ?> map = mock("map").getReceivedExchanges().get(0).getMessage().getBody(Map.class);
        assertThat(map.get("text")).isEqualTo("bodies");
        assertThat(map.get("channelId")).isEqualTo(ElizaIds.channelId(channel));
        String json = mock("json").getReceivedExchanges().get(0).getMessage().getBody(String.class);
        assertThat(json).startsWith("{").contains("\"text\":\"bodies\"").contains("\"id\":\"" + map.get("id") + "\"");
    }

    @Test
    void perChannelOrderIsPreservedThroughAnAsynchronousSlowRoute() throws Exception {
        String channel = "order-" + UUID.randomUUID();
        String sender = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + channel + "?url=" + eliza.url())
                        .delay(simple("${random(0,40)}")).asyncDelayed()
                        .to("mock:ordered");
            }
        });
        MockEndpoint ordered = mock("ordered");
        String[] bodies = new String[40];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = "message " + i;
        }
        ordered.expectedBodiesReceived((Object[]) bodies);

        ordered.setAssertPeriod(1500);
        for (String body : bodies) {
            template.sendBody(sender, body);
        }

        ordered.assertIsSatisfied();
    }

    @Test
    void channelEventsOfTheChannelArriveWithTheirEventHeader() throws Exception {
        String channel = "events-" + UUID.randomUUID();
        String channelId = ElizaIds.channelId(channel);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + channel + "?bodyType=map&url=" + eliza.url()
                     + "&events=messageDeleted,channelCleared,channelUpdated,channelDeleted")
                        .to("mock:events");
                from("eliza:" + channel + "?url=" + eliza.url()).to("mock:messages");
            }
        });
        MockEndpoint events = mock("events");
        events.expectedHeaderValuesReceivedInAnyOrder(ElizaConstants.EVENT,
                "messageDeleted", "channelCleared", "channelUpdated", "channelDeleted");
        MockEndpoint messages = mock("messages");
        messages.expectedMessageCount(1);
        messages.setAssertPeriod(1500);
        Map<String, Object> ack = NodePeer.post(eliza.url(), UUID.randomUUID().toString(), channelId, "Peer", "delete me");
        messages.assertIsSatisfied();

        ElizaRest rest = new ElizaRest(eliza.url());
        rest.deleteMessage(channelId, (String) ack.get("messageId"));
        rest.clearChannel(channelId);
        rest.renameChannel(channelId, "renamed by test");
        rest.deleteChannel(channelId);

        events.assertIsSatisfied();
        List<Exchange> received = events.getReceivedExchanges();
        assertThat(received).allSatisfy(e -> assertThat(e.getMessage().getHeader(ElizaConstants.CHANNEL_ID))
                .isEqualTo(channelId));
        assertThat(received.get(0).getMessage().getHeader(ElizaConstants.MESSAGE_ID)).isEqualTo(ack.get("messageId"));
        // only the events asked for: the message itself did not reach this route
        assertThat(received).noneSatisfy(e -> assertThat(e.getMessage().getHeader(ElizaConstants.EVENT))
                .isEqualTo("messageBroadcast"));
    }

    @Test
    void exchangeHeadersOverrideTheEndpoint() throws Exception {
        String endpointChannel = "override-endpoint-" + UUID.randomUUID();
        String headerChannel = "override-header-" + UUID.randomUUID();
        String clientId = UUID.randomUUID().toString();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + headerChannel + "?includeOwnMessages=true&url=" + eliza.url()).to("mock:header");
            }
        });
        MockEndpoint header = mock("header");
        header.expectedBodiesReceived("redirected");

        header.setAssertPeriod(1500);
        Exchange sent = template.send("eliza:" + endpointChannel + "?url=" + eliza.url(), e -> {
            e.getMessage().setBody("redirected");
            e.getMessage().setHeader(ElizaConstants.CHANNEL, headerChannel);
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_SENDER_NAME, "Override Name");
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, clientId);
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_ATTACHMENTS,
                    List.of("https://example.com/a.png", Map.of("url", "https://example.com/b.pdf", "title", "B")));
            e.getMessage().setHeader(ElizaConstants.METADATA, Map.of("ticket", "T-7"));
        });

        assertThat(sent.getException()).isNull();
        assertThat(sent.getMessage().getHeader(ElizaConstants.CLIENT_MESSAGE_ID)).isEqualTo(clientId);
        assertThat(sent.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(ElizaIds.channelId(headerChannel));
        header.assertIsSatisfied();
        Exchange received = header.getReceivedExchanges().get(0);
        assertThat(received.getMessage().getHeader(ElizaConstants.SENDER_NAME)).isEqualTo("Override Name");
        assertThat(received.getMessage().getHeader(ElizaConstants.ATTACHMENTS, List.class)).hasSize(2);

        Map<String, Object> stored = new ElizaRest(eliza.url()).messages(ElizaIds.channelId(headerChannel), 5).get(0);
        assertThat(stored.get("content")).isEqualTo("redirected");
        assertThat(stored.get("metadata")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("ticket", "T-7");
    }
}
