package org.cameleliza.component.eliza.it;

import java.util.List;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route asks the agent; a consumer in the same channel receives the agent's real reply.
 */
class ElizaRoundTripIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @Test
    void consumerReceivesTheAgentsReplyToTheProducersMessage() throws Exception {
        ElizaTestServer.Agent agent = eliza.server().agent();
        String uri = "eliza:roundtrip-" + UUID.randomUUID() + "?url=" + eliza.url() + "&agentId=" + agent.id();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("listen")
                        .filter(header(ElizaConstants.SENDER_ID).isEqualTo(agent.id()))
                        .to("mock:replies");
                // one-way: the consumer takes the answer
                from("direct:ask").to(uri + "&requestReply=false");
            }
        });
        MockEndpoint replies = getMockEndpoint("mock:replies");
        replies.setResultWaitTime(60000);
        replies.expectedBodiesReceived(ElizaTestServer.expectedReply(agent, "What is Apache Camel?"));

        replies.setAssertPeriod(1500);
        Exchange sent = template.send("direct:ask", e -> e.getMessage().setBody("What is Apache Camel?"));

        assertThat(sent.getException()).isNull();
        assertThat(sent.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();
        assertThat(sent.getMessage().getHeader(ElizaConstants.CLIENT_MESSAGE_ID, String.class)).isNotBlank();
        replies.assertIsSatisfied();

        ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);
        Exchange reply = replies.getReceivedExchanges().get(0);
        assertThat(reply.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(endpoint.getChannelId());
        assertThat(reply.getMessage().getHeader(ElizaConstants.SENDER_NAME)).isEqualTo(agent.name());
        assertThat(reply.getMessage().getHeader(ElizaConstants.SOURCE)).isEqualTo("agent_response");
        assertThat(reply.getMessage().getHeader(ElizaConstants.THOUGHT, String.class)).isNotBlank();
        assertThat(reply.getMessage().getHeader(ElizaConstants.ACTIONS, List.class)).contains("REPLY");
        assertThat(reply.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank()
                .isNotEqualTo(sent.getMessage().getHeader(ElizaConstants.MESSAGE_ID));
        assertThat(reply.getMessage().getHeader(ElizaConstants.EVENT)).isEqualTo("messageBroadcast");
    }

    @Test
    void endpointsOfOneEntityShareOneConnectionClosedWithItsLastUser() throws Exception {
        String base = "?url=" + eliza.url() + "&senderName=Sharer";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:share-a" + base).routeId("a").to("mock:a");
                from("eliza:share-b" + base).routeId("b").to("mock:b");
                from("direct:share").routeId("c").to("eliza:share-a" + base);
            }
        });
        ElizaComponent component = context.getComponent("eliza", ElizaComponent.class);
        assertThat(connections(component)).isEqualTo(1);

        template.sendBody("direct:share", "shared hello");

        context.getRouteController().stopRoute("a");
        context.getRouteController().stopRoute("c");
        assertThat(connections(component)).isEqualTo(1);
        context.getRouteController().stopRoute("b");
        assertThat(connections(component)).isZero();
    }

    /** As the dev console (camel's "eliza" console) shows them. */
    private static int connections(ElizaComponent component) {
        return ElizaTestSupport.connections(component.getCamelContext());
    }

    @Test
    void endpointsWithOtherTransportSettingsGetTheirOwnConnection() throws Exception {
        // same server and entity, but another reconnect policy and another header: not one connection set up by
        // whichever endpoint started first
        String base = "?url=" + eliza.url() + "&senderName=Settings";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:settings-a").to("eliza:settings" + base);
                from("direct:settings-b").to("eliza:settings" + base + "&reconnectMaxDelay=5000");
                from("direct:settings-c").to("eliza:settings" + base + "&httpHeader.X-Tenant=acme");
                from("direct:settings-d").to("eliza:settings-other" + base);
            }
        });
        for (String route : List.of("a", "b", "c", "d")) {
            assertThat(template.send("direct:settings-" + route, e -> e.getMessage().setBody("via " + route))
                    .getException()).isNull();
        }
        // a, b and c differ in their transport settings; d shares a's
        assertThat(connections(context.getComponent("eliza", ElizaComponent.class))).isEqualTo(3);
    }
}
