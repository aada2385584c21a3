package org.cameleliza.component.eliza.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message for an agent returns the agent's reply, InOnly or InOut, unless requestReply=false; without an agent the
 * exchange pattern decides. Conversations keep their own channel.
 */
class ElizaRequestReplyIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private ElizaTestServer.Agent agent() {
        return eliza.server().agent();
    }

    private String uri(String channel) {
        return "eliza:" + channel + "?url=" + eliza.url() + "&agentId=" + agent().id();
    }

    @Test
    void inOutReturnsTheAgentsReply() {
        Exchange reply = template.request(uri("rr-" + UUID.randomUUID()), e -> e.getMessage().setBody("ping?"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent(), "ping?"));
        assertThat(reply.getMessage().getHeader(ElizaConstants.SENDER_ID)).isEqualTo(agent().id());
        assertThat(reply.getMessage().getHeader(ElizaConstants.THOUGHT, String.class)).isNotBlank();
        assertThat(reply.getMessage().getHeader(ElizaConstants.ACTIONS, List.class)).contains("REPLY");
        assertThat(reply.getMessage().getHeader(ElizaConstants.CLIENT_MESSAGE_ID, String.class)).isNotBlank();
        assertThat(reply.getMessage().getHeader(ElizaConstants.NO_REPLY)).isNull();
    }

    @Test
    void twentyConcurrentRequestsOverFiveConversationsEachGetTheirOwnReply() throws Exception {
        String uri = uri("rr-conversations-" + UUID.randomUUID());
        List<CompletableFuture<Exchange>> futures = new ArrayList<>();
        List<String> questions = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "customer-" + (i % 5) + "@example.com";
            String question = "question " + i + " from " + key;
            questions.add(question);
            keys.add(key);
            futures.add(template.asyncSend(uri, e -> {
                e.setPattern(ExchangePattern.InOut);
                e.getMessage().setBody(question);
                e.getMessage().setHeader(ElizaConstants.CONVERSATION_KEY, key);
            }));
        }
        Map<String, String> channelOfKey = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            Exchange done = futures.get(i).get(120, TimeUnit.SECONDS);
            assertThat(done.getException()).as("request " + i).isNull();
            assertThat(done.getMessage().getBody(String.class)).as("reply to request " + i)
                    .isEqualTo(ElizaTestServer.expectedReply(agent(), questions.get(i)));
            // each answer names its conversation, whichever finished first
            assertThat(done.getMessage().getHeader(ElizaConstants.CONVERSATION_KEY)).as("conversation of reply " + i)
                    .isEqualTo(keys.get(i));
            String channel = done.getMessage().getHeader(ElizaConstants.CHANNEL_ID, String.class);
            assertThat(channel).isEqualTo(channelOfKey.computeIfAbsent(keys.get(i), k -> channel));
        }
        assertThat(channelOfKey).hasSize(5);
        assertThat(channelOfKey.values()).doesNotHaveDuplicates();
    }

    @Test
    void conversationChannelIsStableAndHasTheAgentAsParticipant() throws Exception {
        String uri = uri("rr-stable");
        Exchange first = template.request(uri, e -> {
            e.getMessage().setBody("remember me");
            e.getMessage().setHeader(ElizaConstants.CONVERSATION_KEY, "ticket-42");
        });
        String expected = ElizaIds.conversationChannelId(ElizaIds.channelId("rr-stable"), agent().id(), "ticket-42");
        assertThat(first.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).isEqualTo(expected);
        assertThat(first.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent(), "remember me"));

        List<Map<String, Object>> stored = new ElizaRest(eliza.url()).messages(expected, 10);
        assertThat(stored).extracting(m -> m.get("content"))
                .contains("remember me", ElizaTestServer.expectedReply(agent(), "remember me"));
    }

    @Test
    void noReplyWithinReplyTimeoutEndsWithExchangeTimedOutException() {
        String silentAgent = UUID.randomUUID().toString();
        Exchange result = template.request(
                "eliza:rr-silent-" + UUID.randomUUID() + "?replyTimeout=1500&url=" + eliza.url() + "&agentId=" + silentAgent,
                e -> e.getMessage().setBody("is anybody there?"));
        assertThat(result.getException()).isInstanceOf(ExchangeTimedOutException.class)
                .hasMessageContaining("No reply from the agent").hasMessageContaining("1500 ms");
    }

    @Test
    void replyBodyFollowsBodyType() {
        String channel = "rr-bodytype-" + UUID.randomUUID();
        Exchange asMap = template.request(uri(channel) + "&bodyType=map", e -> e.getMessage().setBody("as a map"));
        assertThat(asMap.getMessage().getBody(Map.class))
                .containsEntry("text", ElizaTestServer.expectedReply(agent(), "as a map"))
                .containsEntry("senderId", agent().id());
        Exchange asJson = template.request(uri(channel) + "&bodyType=json", e -> e.getMessage().setBody("as json"));
        assertThat(asJson.getMessage().getBody(String.class))
                .startsWith("{").contains("\"text\":\"" + ElizaTestServer.expectedReply(agent(), "as json") + "\"");
    }

    @Test
    void streamedReplyIsReturnedWhenItsFinalMessageArrives() throws Exception {
        String channel = "rr-stream-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(channel) + "&events=messageStreamChunk").to("mock:chunks");
            }
        });
        MockEndpoint chunks = getMockEndpoint("mock:chunks");
        String question = "please stream a reply long enough to need several chunks";
        String expected = ElizaTestServer.expectedReply(agent(), question);
        chunks.setResultWaitTime(30000);
        chunks.expectedMinimumMessageCount(2);

        Exchange reply = template.request(uri(channel), e -> e.getMessage().setBody(question));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(expected);
        chunks.assertIsSatisfied();
        StringBuilder joined = new StringBuilder();
        int index = 0;
        for (Exchange chunk : chunks.getReceivedExchanges()) {
            assertThat(chunk.getMessage().getHeader(ElizaConstants.CHUNK_INDEX)).isEqualTo(index++);
            assertThat(chunk.getMessage().getHeader(ElizaConstants.MESSAGE_ID))
                    .isEqualTo(reply.getMessage().getHeader(ElizaConstants.MESSAGE_ID));
            joined.append(chunk.getMessage().getBody(String.class));
        }
        assertThat(joined).hasToString(expected);
    }

    @Test
    void badHeadersAreRefusedBeforeSending() {
        String uri = uri("rr-bad-" + UUID.randomUUID());
        assertThat(template.request(uri, e -> {
            e.getMessage().setBody("hi");
            e.getMessage().setHeader(ElizaConstants.AGENT_ID, "agent-smith");
        }).getException()).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("Header CamelElizaAgentId must be a UUID");
        assertThat(template.request("eliza:no-agent?url=" + eliza.url(), e -> {
            e.getMessage().setBody("hi");
            e.getMessage().setHeader(ElizaConstants.CONVERSATION_KEY, "k");
        }).getException()).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("needs an agent");
        assertThat(template.request(uri, e -> {
            e.getMessage().setBody("hi");
            e.getMessage().setHeader(ElizaConstants.METADATA, "not a map");
        }).getException()).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("CamelElizaMetadata must be a Map");
        assertThat(template.request(uri, e -> {
            e.getMessage().setBody("hi");
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_ATTACHMENTS, List.of(42));
        }).getException()).isInstanceOf(ElizaInvalidMessageException.class)
                .hasMessageContaining("CamelElizaOverrideAttachments");
        assertThat(template.request(uri, e -> e.getMessage().setBody(" ")).getException())
                .isInstanceOf(ElizaInvalidMessageException.class).hasMessageContaining("empty message");
    }

    @Test
    void theRequestReplyOptionDecidesInsteadOfTheExchangePattern() {
        String channel = "rr-option-" + UUID.randomUUID();
        // an InOut exchange (as from platform-http or JMS) that only notifies: completes on the server's ack
        Exchange notified = template.request(uri(channel) + "&requestReply=false", e -> e.getMessage().setBody("fyi"));
        assertThat(notified.getException()).isNull();
        assertThat(notified.getMessage().getBody(String.class)).isEqualTo("fyi");
        assertThat(notified.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();
        assertThat(notified.getMessage().getHeader(ElizaConstants.SENDER_ID)).isNull();

        // an InOnly exchange that asks: gets the answer
        Exchange asked = template.send(uri(channel) + "&requestReply=true", e -> e.getMessage().setBody("question?"));
        assertThat(asked.getException()).isNull();
        assertThat(asked.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent(), "question?"));
    }

    @Test
    void aTimerRouteThatAsksAnAgentCarriesOnWithTheAnswerNotItsQuestion() throws Exception {
        // the first hour of a new user: a timer's exchange is InOnly, and the route logs what the agent answered
        String question = "Where is the refund for order 4711?";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:ask?repeatCount=1").setBody(constant(question))
                        .to(uri("rr-timer-" + UUID.randomUUID()))
                        .to("mock:answered");
            }
        });
        MockEndpoint answered = getMockEndpoint("mock:answered");
        answered.setResultWaitTime(60000);
        answered.expectedBodiesReceived(ElizaTestServer.expectedReply(agent(), question));

        answered.assertIsSatisfied();
        Exchange exchange = answered.getReceivedExchanges().get(0);
        assertThat(exchange.getPattern()).as("the exchange pattern is left as it is").isEqualTo(ExchangePattern.InOnly);
        assertThat(exchange.getMessage().getHeader(ElizaConstants.SENDER_ID)).isEqualTo(agent().id());
        assertThat(exchange.getMessage().getHeader(ElizaConstants.IN_REPLY_TO, String.class)).isNotBlank();
    }

    @Test
    void anAgentNamedByTheHeaderIsAskedToo() {
        Exchange asked = template.send("eliza:rr-header-agent-" + UUID.randomUUID() + "?url=" + eliza.url(), e -> {
            e.getMessage().setBody("who names you?");
            e.getMessage().setHeader(ElizaConstants.AGENT_ID, agent().id());
        });
        assertThat(asked.getException()).isNull();
        assertThat(asked.getPattern()).isEqualTo(ExchangePattern.InOnly);
        assertThat(asked.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "who names you?"));
    }

    @Test
    void requestReplyFalsePostsToTheAgentOneWay() {
        Exchange posted = template.send(uri("rr-oneway-" + UUID.randomUUID()) + "&requestReply=false",
                e -> e.getMessage().setBody("just so you know"));
        assertThat(posted.getException()).isNull();
        assertThat(posted.getMessage().getBody(String.class)).isEqualTo("just so you know");
        assertThat(posted.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();
        assertThat(posted.getMessage().getHeader(ElizaConstants.SENDER_ID)).isNull();
        assertThat(posted.getMessage().getHeader(ElizaConstants.IN_REPLY_TO)).isNull();
    }

    @Test
    void withoutAnAgentAnInOnlyExchangeStaysOneWay() {
        Exchange posted = template.send("eliza:rr-no-agent-" + UUID.randomUUID() + "?url=" + eliza.url(),
                e -> e.getMessage().setBody("a note in the room"));
        assertThat(posted.getException()).isNull();
        assertThat(posted.getMessage().getBody(String.class)).isEqualTo("a note in the room");
        assertThat(posted.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();
        assertThat(posted.getMessage().getHeader(ElizaConstants.IN_REPLY_TO)).isNull();
    }

    @Test
    void inOutFollowsTheExchangePatternEvenForAnAgent() {
        String channel = "rr-inout-" + UUID.randomUUID();
        Exchange posted = template.send(uri(channel) + "&requestReply=inOut", e -> e.getMessage().setBody("fyi"));
        assertThat(posted.getException()).isNull();
        assertThat(posted.getMessage().getBody(String.class)).isEqualTo("fyi");
        assertThat(posted.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();

        Exchange asked = template.request(uri(channel) + "&requestReply=inOut", e -> e.getMessage().setBody("and?"));
        assertThat(asked.getException()).isNull();
        assertThat(asked.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent(), "and?"));
    }

    @Test
    void positionalMatchingAnswersWithoutRestReads() {
        Exchange reply = template.request(uri("rr-position-" + UUID.randomUUID()) + "&replyMatching=position",
                e -> e.getMessage().setBody("by position"));
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent(), "by position"));
    }
}
