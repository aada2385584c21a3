package org.cameleliza.component.eliza.it;

import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An independent client (Node's socket.io-client) posts into a channel; the Camel consumer receives it.
 */
class ElizaConsumerIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @Test
    void messageFromAnotherClientArrivesWithAllHeaders() throws Exception {
        String channel = "peer-" + UUID.randomUUID();
        String channelId = ElizaIds.channelId(channel);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + channel + "?url=" + eliza.url()).to("mock:in");
            }
        });
        MockEndpoint in = getMockEndpoint("mock:in");
        in.setResultWaitTime(30000);
        in.expectedBodiesReceived("Hello from Node, ümlaut and \"quotes\"");

        in.setAssertPeriod(1500);
        String peer = UUID.randomUUID().toString();
        Map<String, Object> ack = NodePeer.post(eliza.url(), peer, channelId, "Node Peer",
                "Hello from Node, ümlaut and \"quotes\"");

        in.assertIsSatisfied();
        Exchange received = in.getReceivedExchanges().get(0);
        Map<String, Object> headers = received.getMessage().getHeaders();
        assertThat(headers).containsEntry(ElizaConstants.MESSAGE_ID, ack.get("messageId"))
                .containsEntry(ElizaConstants.CHANNEL_ID, channelId)
                .containsEntry(ElizaConstants.SENDER_ID, peer)
                .containsEntry(ElizaConstants.SENDER_NAME, "Node Peer")
                .containsEntry(ElizaConstants.SOURCE, "node-peer")
                .containsEntry(ElizaConstants.EVENT, "messageBroadcast")
                .containsEntry(ElizaConstants.MESSAGE_SERVER_ID, ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID);
        assertThat(received.getMessage().getHeader(ElizaConstants.CREATED_AT, Long.class))
                .isGreaterThan(System.currentTimeMillis() - 600_000L);
        assertThat(headers.get(ElizaConstants.THOUGHT)).isNull();
    }

    @Test
    void messagesOfOtherChannelsAreNotDelivered() throws Exception {
        String mine = "mine-" + UUID.randomUUID();
        String other = "other-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + mine + "?url=" + eliza.url()).to("mock:mine");
                from("eliza:" + other + "?url=" + eliza.url()).to("mock:other");
            }
        });
        MockEndpoint mineMock = getMockEndpoint("mock:mine");
        mineMock.setResultWaitTime(30000);
        mineMock.expectedBodiesReceived("only for mine", "second for mine");
        mineMock.setAssertPeriod(1500);
        MockEndpoint otherMock = getMockEndpoint("mock:other");
        otherMock.expectedBodiesReceived("only for other");
        otherMock.setAssertPeriod(1500);
        otherMock.setResultWaitTime(30000);

        String peer = UUID.randomUUID().toString();
        NodePeer.post(eliza.url(), peer, ElizaIds.channelId(mine), "Peer", "only for mine");
        NodePeer.post(eliza.url(), peer, ElizaIds.channelId(other), "Peer", "only for other");
        NodePeer.post(eliza.url(), peer, ElizaIds.channelId(mine), "Peer", "second for mine");

        mineMock.assertIsSatisfied();
        otherMock.assertIsSatisfied();
    }
}
