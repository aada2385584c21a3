package org.cameleliza.component.eliza.it;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input and refusals end in clear, specific exceptions: never a silent drop or a hang.
 */
class ElizaProducerErrorsIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private Exception send(String uri, Object body) {
        Exchange result = template.send(uri, e -> e.getMessage().setBody(body));
        return result.getException();
    }

    private String uri(String channel) {
        return "eliza:" + channel + "?url=" + eliza.url();
    }

    @Test
    void emptyOrMissingBodyIsRefusedBeforeSending() {
        String uri = uri("errors-" + UUID.randomUUID());
        assertThat(send(uri, "   ")).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("empty message");
        assertThat(send(uri, null)).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("empty message");
        assertThat(send(uri, "but this one is fine")).isNull();
    }

    @Test
    void invalidChannelsFailAtEndpointCreation() {
        assertThatThrownBy(() -> context.getEndpoint("eliza:%20?url=" + eliza.url()))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("channel must not be empty");
        assertThatThrownBy(() -> context.getEndpoint(uri("x") + "&agentId=not-an-agent"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("Option agentId must be a UUID");
    }

    @Test
    void channelOfAnUnknownMessageServerIsRejectedByTheServer() {
        String unknownServer = UUID.randomUUID().toString();
        Exception error = send(uri("errors-" + UUID.randomUUID()) + "&messageServerId=" + unknownServer, "hello?");
        assertThat(error).isInstanceOf(ElizaMessageRejectedException.class)
                .hasMessageContaining("rejected")
                .hasMessageContaining(unknownServer + " does not exist");
    }

    @Test
    void oversizedMessageIsRefusedAndTheConnectionStaysUp() {
        String uri = uri("errors-" + UUID.randomUUID()) + "&agentId=" + ElizaTestServer.KNOWN_AGENTS.get(0).id()
                     + "&requestReply=false";
        assertThat(send(uri, "x".repeat(1_000_001))).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("maxMessageSize (1000000 bytes)");
        Exchange ok = template.send(uri, e -> e.getMessage().setBody("a normal message after the big one"));
        assertThat(ok.getException()).isNull();
        assertThat(ok.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();
    }

    @Test
    void unreachableServerFailsTheExchangeAndTheConsumerStart() throws Exception {
        String nobody = "http://127.0.0.1:" + ElizaTestServer.freePort();
        Exception error = send("eliza:nowhere?connectTimeout=1500&url=" + nobody, "anyone there?");
        assertThat(error).isInstanceOf(ElizaConnectionException.class)
                .hasMessageContaining("Could not connect to the Eliza server at " + nobody + " within 1500 ms");

        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:nowhere?connectTimeout=1500&testConnectionOnStartup=true&url=" + nobody).routeId("unreachable")
                        .autoStartup(false)
                        .to("mock:never");
            }
        });
        assertThatThrownBy(() -> context.getRouteController().startRoute("unreachable"))
                .rootCause().isInstanceOf(ElizaConnectionException.class)
                .hasMessageContaining("Could not connect");

        // a producer with the strict start fails its route's start too (Camel starts a route's producers as it adds
        // the route, whatever its autoStartup); without it, the route starts
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:strict").routeId("strict-sender")
                        .to("eliza:nowhere?connectTimeout=1500&testConnectionOnStartup=true&url=" + nobody);
            }
        })).rootCause().isInstanceOf(ElizaConnectionException.class).hasMessageContaining("within 1500 ms");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:lenient").routeId("lenient-sender").to("eliza:nowhere?connectTimeout=1500&url=" + nobody);
            }
        });
        assertThat(context.getRouteController().getRouteStatus("lenient-sender").isStarted()).isTrue();
    }
}
