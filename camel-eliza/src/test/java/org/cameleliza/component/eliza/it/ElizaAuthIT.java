package org.cameleliza.component.eliza.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A server started with SERVER_API_KEY: wrong or missing keys fail with the server's reason, and no key is ever shown.
 */
class ElizaAuthIT extends CamelTestSupport {

    private static final String KEY = "k3y-" + UUID.randomUUID();
    private static final String WRONG = "wr0ng-" + UUID.randomUUID();

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.apiKey(KEY));

    private String uri(String channel, String apiKey) {
        return "eliza:" + channel + "?connectTimeout=5000&url=" + eliza.url() + (apiKey != null ? "&apiKey=" + apiKey : "");
    }

    @Test
    void wrongApiKeyFailsTheExchangeWithTheServersReason() {
        Exchange result = template.send(uri("auth", WRONG), e -> e.getMessage().setBody("let me in"));
        assertThat(result.getException()).isInstanceOf(ElizaAuthenticationException.class)
                .hasMessageContaining("Invalid or missing API Key")
                .hasMessageNotContaining(WRONG);
    }

    @Test
    void missingApiKeyFailsTheExchangeWithTheServersReason() {
        Exchange result = template.send(uri("auth", null), e -> e.getMessage().setBody("let me in"));
        assertThat(result.getException()).isInstanceOf(ElizaAuthenticationException.class)
                .hasMessageContaining("Invalid or missing API Key");
    }

    @Test
    void wrongApiKeyFailsTheConsumerStart() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("auth-consumer", WRONG) + "&testConnectionOnStartup=true").routeId("wrong-key")
                        .autoStartup(false).to("mock:never");
            }
        });
        Throwable failure = catchThrowable(() -> context.getRouteController().startRoute("wrong-key"));
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(WRONG);
        assertThat(failure).rootCause().isInstanceOf(ElizaAuthenticationException.class)
                .hasMessageContaining("Invalid or missing API Key");
    }

    @Test
    void rightApiKeyTalksToTheAgent() throws Exception {
        ElizaTestServer.Agent agent = eliza.server().agent();
        String uri = uri("auth-ok-" + UUID.randomUUID(), KEY) + "&agentId=" + agent.id();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).filter(header(ElizaConstants.SENDER_ID).isEqualTo(agent.id())).to("mock:reply");
            }
        });
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.setResultWaitTime(60000);
        reply.expectedBodiesReceived(ElizaTestServer.expectedReply(agent, "authenticated hello"));

        reply.setAssertPeriod(1500);
        Exchange sent = template.send(uri, e -> e.getMessage().setBody("authenticated hello"));

        assertThat(sent.getException()).isNull();
        reply.assertIsSatisfied();
        assertThat(context.getEndpoint(uri).toString()).doesNotContain(KEY);
    }
}
