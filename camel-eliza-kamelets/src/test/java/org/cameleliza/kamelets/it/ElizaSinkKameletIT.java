package org.cameleliza.kamelets.it;

import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * to("kamelet:eliza-sink?...") against a real server: the agent answers what the sink sends; InOut callers get the
 * answer back, InOnly ones complete once the server stored the message.
 */
class ElizaSinkKameletIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServer eliza = new ElizaServer();

    private String sink(String channel) {
        return "kamelet:eliza-sink?channel=" + channel + "&" + eliza.connection();
    }

    private String answer(String question) {
        return ElizaTestServer.expectedReply(eliza.agent(), question);
    }

    private void route(String from, String to) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to(to);
            }
        });
    }

    /** Watches a channel with a plain eliza consumer of its own identity. */
    private MockEndpoint observe(String channel, boolean agentOnly) throws Exception {
        route("eliza:" + channel + "?senderName=Observer&agentMessagesOnly=" + agentOnly + "&" + eliza.connection(),
                "mock:" + channel);
        MockEndpoint mock = getMockEndpoint("mock:" + channel);
        mock.setResultWaitTime(30000);
        return mock;
    }

    @Test
    void inOutReturnsTheAgentsAnswer() throws Exception {
        route("direct:ask", sink("kamelet-sink-" + UUID.randomUUID()));

        Exchange reply = template.request("direct:ask", e -> e.getMessage().setBody("hello kamelet"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(answer("hello kamelet"));
        assertThat(reply.getMessage().getHeader(ElizaConstants.SENDER_ID)).isEqualTo(eliza.agent().id());
    }

    @Test
    void inOnlyCompletesOnceStoredAndTheAgentAnswersInTheChannel() throws Exception {
        String channel = "kamelet-sink-inonly-" + UUID.randomUUID();
        route("direct:tell", sink(channel));
        MockEndpoint answers = observe(channel, true);
        answers.expectedBodiesReceived(answer("for your information"));

        Exchange done = template.send("direct:tell", ExchangePattern.InOnly,
                e -> e.getMessage().setBody("for your information"));

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getBody(String.class)).as("not a reply").isEqualTo("for your information");
        assertThat(done.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();
        answers.assertIsSatisfied();
    }

    @Test
    void conversationKeyHeadersGiveEachConversationItsOwnChannel() throws Exception {
        String channel = "kamelet-sink-conversations-" + UUID.randomUUID();
        route("direct:ask", sink(channel));
        String expected = ElizaIds.conversationChannelId(ElizaIds.channelId(channel), eliza.agent().id(), "ticket-42");

        Exchange plain = template.request("direct:ask", e -> {
            e.getMessage().setBody("first");
            e.getMessage().setHeader("conversation-key", "ticket-42");
        });
        Exchange cloudEvent = template.request("direct:ask", e -> {
            e.getMessage().setBody("second");
            e.getMessage().setHeader("ce-conversationkey", "ticket-42");
        });

        assertThat(plain.getMessage().getBody(String.class)).isEqualTo(answer("first"));
        assertThat(plain.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(expected);
        assertThat(cloudEvent.getMessage().getBody(String.class)).isEqualTo(answer("second"));
        assertThat(cloudEvent.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(expected);
    }

    @Test
    void camelElizaHeadersOfTheCallerDoNotRedirectTheMessage() throws Exception {
        String channel = "kamelet-sink-headers-" + UUID.randomUUID();
        route("direct:ask", sink(channel));
        MockEndpoint seen = observe(channel, false);
        seen.expectedBodiesReceived("stay here", answer("stay here"));

        Exchange reply = template.request("direct:ask", e -> {
            e.getMessage().setBody("stay here");
            e.getMessage().setHeaders(Map.of(ElizaConstants.CHANNEL, "somewhere-else",
                    ElizaConstants.OVERRIDE_SENDER_NAME, "Mallory"));
        });

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(answer("stay here"));
        assertThat(reply.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(ElizaIds.channelId(channel));
        seen.assertIsSatisfied();
        // posted under the sink's senderName (its default), not under the caller's override
        assertThat(seen.getReceivedExchanges().get(0).getMessage().getHeader(ElizaConstants.SENDER_NAME))
                .isEqualTo("Camel");
    }

    @Test
    void aSourceFeedsTheSinkLikeAPipe() throws Exception {
        // source-channel: someone asks, Echo answers; the source hands the answer to the sink, which posts it to
        // sink-channel, where Echo answers it in turn
        String from = "kamelet-pipe-from-" + UUID.randomUUID();
        String to = "kamelet-pipe-to-" + UUID.randomUUID();
        MockEndpoint target = observe(to, false);
        route("kamelet:eliza-source?channel=" + from + "&" + eliza.connection(),
                sink(to) + "&senderName=Relay&requestReply=false");
        target.expectedBodiesReceived(answer("relay me"), answer(answer("relay me")));

        template.sendBody("eliza:" + from + "?senderName=Asker&requestReply=false&" + eliza.connection(), "relay me");

        target.assertIsSatisfied();
        // posted under the sink's name, not under the name of the agent whose answer it relays
        assertThat(target.getReceivedExchanges().get(0).getMessage().getHeader(ElizaConstants.SENDER_NAME))
                .isEqualTo("Relay");
        assertThat(target.getReceivedExchanges().get(1).getMessage().getHeader(ElizaConstants.SENDER_ID))
                .isEqualTo(eliza.agent().id());
    }

    @Test
    void theApiKeyIsWhatLetsTheSinkIn() throws Exception {
        String withoutKey = "kamelet:eliza-sink?channel=kamelet-sink-nokey&url=" + eliza.url() + "&agentId="
                            + eliza.agent().id();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the failure is the expected outcome: no error handler to log it
                from("direct:nokey").errorHandler(noErrorHandler()).to(withoutKey);
            }
        });

        Exchange refused = template.request("direct:nokey", e -> e.getMessage().setBody("let me in"));

        assertThat(refused.getException()).isInstanceOf(ElizaAuthenticationException.class);
        assertThat(refused.getException().getMessage()).doesNotContain(ElizaServer.API_KEY);
    }
}
