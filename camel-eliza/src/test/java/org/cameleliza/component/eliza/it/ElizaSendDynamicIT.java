package org.cameleliza.component.eliza.it;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code toD("eliza:${header.room}...")} over 100 rooms, two messages each: one endpoint (so one producer) serves every
 * room, and one connection carries them all; each message lands in its own room. Without the optimisation (Camel's
 * plain toD) every room is an endpoint of its own, on the same one connection.
 * <p>
 * A server of its own, without agents: one-way sends spend no REST request, and nobody answers.
 */
class ElizaSendDynamicIT extends CamelTestSupport {

    private static final int ROOMS = 100;

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.agents(0));

    private final List<String> rooms = IntStream.range(0, ROOMS)
            .mapToObj(i -> "dynamic-" + i + "-" + UUID.randomUUID()).toList();

    @Override
    protected boolean useJmx() {
        return false;
    }

    private void route(boolean optimised) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:rooms")
                        .toD().uri("eliza:${header.room}?url=" + eliza.url() + "&requestReply=false")
                            .allowOptimisedComponents(optimised);
            }
        });
    }

    /** Sends one message to every room; each must be acknowledged in its own room. */
    private void sendToEveryRoom(String round) {
        for (String room : rooms) {
            Exchange sent = template.send("direct:rooms", e -> {
                e.getMessage().setHeader("room", room);
                e.getMessage().setBody(round + " for " + room);
            });
            assertThat(sent.getException()).as(round + " to " + room).isNull();
            assertThat(sent.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).as(round + " to " + room)
                    .isEqualTo(ElizaIds.channelId(room));
            assertThat(sent.getMessage().getHeader(ElizaConstants.MESSAGE_ID)).as("ack of " + round + " to " + room)
                    .isNotNull();
            // the input is consumed: it does not travel on
            assertThat(sent.getMessage().getHeaders()).doesNotContainKey(ElizaConstants.CHANNEL);
        }
    }

    private List<ElizaEndpoint> elizaEndpoints() {
        return context.getEndpoints().stream().filter(ElizaEndpoint.class::isInstance).map(ElizaEndpoint.class::cast)
                .toList();
    }

    private List<ElizaConnection> connections() {
        return context.getComponent("eliza", ElizaComponent.class).getConnectionManager().getConnections();
    }

    @Test
    void oneEndpointAndOneConnectionServeEveryRoom() throws Exception {
        route(true);

        sendToEveryRoom("first");

        List<ElizaEndpoint> endpoints = elizaEndpoints();
        assertThat(endpoints).singleElement()
                .satisfies(e -> assertThat(e.getChannel()).isEqualTo("${header.room}"));
        List<ElizaConnection> connections = connections();
        assertThat(connections).hasSize(1);

        sendToEveryRoom("second");

        // the same endpoint and the same connection, never connected again
        assertThat(elizaEndpoints()).containsExactlyElementsOf(endpoints);
        assertThat(connections()).containsExactlyElementsOf(connections);
        assertThat(connections.get(0).getConnectAttempts()).isEqualTo(1);
    }

    @Test
    void plainToDMakesAnEndpointPerRoomOnTheSameConnection() throws Exception {
        route(false);

        sendToEveryRoom("first");
        sendToEveryRoom("second");

        assertThat(elizaEndpoints()).hasSize(ROOMS)
                .extracting(ElizaEndpoint::getChannel).containsExactlyInAnyOrderElementsOf(rooms);
        assertThat(connections()).hasSize(1);
        assertThat(connections().get(0).getConnectAttempts()).isEqualTo(1);
    }
}
