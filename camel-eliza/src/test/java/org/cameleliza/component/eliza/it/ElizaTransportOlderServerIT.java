package org.cameleliza.component.eliza.it;

import java.nio.file.Paths;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * transport=http and sse need elizaOS 1.7: on a real 1.6.5 server, whose POST ignores {@code transport}, the route
 * does not start, with a clear error; where a gateway hides the version, the exchange fails on the server's answer.
 */
class ElizaTransportOlderServerIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.line("1.6").agents(1));

    private static RouteBuilder route(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask-" + UUID.randomUUID()).to(uri);
            }
        };
    }

    @Test
    void aRouteWithARestTransportDoesNotStartOnAServerBefore17() {
        for (String transport : new String[] { "http", "sse" }) {
            String uri = "eliza:old-" + UUID.randomUUID() + "?url=" + eliza.url() + "&agentId="
                         + eliza.server().agent().id() + "&transport=" + transport;
            assertThatThrownBy(() -> context.addRoutes(route(uri))).as(transport)
                    .hasStackTraceContaining("Option transport=" + transport + " needs elizaOS 1.7 or later, but the"
                                             + " server is 1.6.5");
        }
    }

    @Test
    void behindAGatewayThatHidesTheVersionTheExchangeFailsOnTheServersAnswer() {
        try (ElizaTestServer hidden = ElizaTestServer.builder().line("1.6").agents(1)
                .environment("ELIZA_TEST_HIDDEN_ROUTES", "/api/system/version")
                .logFile(Paths.get("target", "eliza-server-logs", "ElizaTransportOlderServerIT-hidden.log")).build()
                .start()) {
            String base = "eliza:hidden-" + UUID.randomUUID() + "?url=" + hidden.url() + "&agentId=" + hidden.agent().id();

            Exchange http = template.request(base + "&transport=http", e -> e.getMessage().setBody("hello over http"));
            Exchange sse = template.request(base + "&transport=sse", e -> e.getMessage().setBody("hello over sse"));

            assertThat(http.getException()).isInstanceOf(ElizaException.class)
                    .hasMessageContaining("does not know transport=http (elizaOS 1.7 and later)");
            assertThat(sse.getException()).isInstanceOf(ElizaException.class)
                    .hasMessageContaining("does not know transport=sse (elizaOS 1.7 and later)");
        }
    }
}
