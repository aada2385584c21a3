package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reply is accepted only by the request it answers (the server stores it with the id of the message it answers), so
 * no other agent message in the room can pass for it: a late answer to an earlier request, the second message of one
 * turn, the answer to someone else's message. The test agent's marker {@code [slow:N]} answers N ms later (see
 * camel-eliza-test/deterministic-model.mjs). elizaOS 1.7 drops an answer when its agent's turn on an earlier message
 * ends meanwhile, so the second message of a turn is tested against 1.4 ({@code ElizaLegacyServerIT}), where it reaches
 * a waiting request; here a late answer is posted the way the agent runtime posts its answers.
 */
class ElizaExactReplyIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private final String channel = "exact-" + UUID.randomUUID();
    private final String channelId = ElizaIds.channelId(channel);

    private ElizaTestServer.Agent agent() {
        return eliza.server().agent();
    }

    private String uri(String extra) {
        return "eliza:" + channel + "?url=" + eliza.url() + "&agentId=" + agent().id() + extra;
    }

    private CompletableFuture<Exchange> ask(String uri, String question) {
        return template.asyncSend(uri, e -> {
            e.setPattern(ExchangePattern.InOut);
            e.getMessage().setBody(question);
        });
    }

    /** The stored messages of the channel with this text. */
    private List<Map<String, Object>> stored(String text) throws Exception {
        return new ElizaRest(eliza.url()).allMessages(channelId).stream().filter(m -> text.equals(m.get("content")))
                .toList();
    }

    @Test
    void aLateReplyToATimedOutRequestIsNotTakenForTheNextOnesReply() throws Exception {
        Exchange timedOut = template.request(uri("&replyTimeout=1000"), e -> e.getMessage().setBody("[slow:3000] first"));
        assertThat(timedOut.getException()).isInstanceOf(ExchangeTimedOutException.class);
        String first = (String) stored("[slow:3000] first").get(0).get("id");

        CompletableFuture<Exchange> second = ask(uri(""), "[slow:2000] second");
        await().atMost(Duration.ofSeconds(30)).until(() -> !stored("[slow:2000] second").isEmpty());
        // the answer to the first request arrives while the second one waits
        new ElizaRest(eliza.url()).submitAsAgent(channelId, agent().id(), agent().name(), "late answer to first", first);

        Exchange reply = second.get(60, TimeUnit.SECONDS);
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "[slow:2000] second"));
    }

    @Test
    void twoProducersOfDifferentEntitiesOnOneChannelEachGetTheirOwnReplies() throws Exception {
        String alice = uri("&senderName=Alice");
        String bob = uri("&senderName=Bob");
        List<CompletableFuture<Exchange>> asked = new ArrayList<>();
        List<String> questions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (String who : List.of("alice", "bob")) {
                String question = who + " asks " + i;
                questions.add(question);
                asked.add(ask(who.equals("alice") ? alice : bob, question));
            }
        }
        for (int i = 0; i < asked.size(); i++) {
            Exchange reply = asked.get(i).get(120, TimeUnit.SECONDS);
            assertThat(reply.getException()).as(questions.get(i)).isNull();
            assertThat(reply.getMessage().getBody(String.class)).as(questions.get(i))
                    .isEqualTo(ElizaTestServer.expectedReply(agent(), questions.get(i)));
        }
    }

    @Test
    void anInOutRedeliveryWaitsForTheAnswerInsteadOfAskingAgain() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").errorHandler(defaultErrorHandler().maximumRedeliveries(1).redeliveryDelay(0))
                        .to(uri("&replyTimeout=4000"));
            }
        });

        Exchange reply = template.request("direct:ask", e -> e.getMessage().setBody("[slow:5000] ask me once"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "[slow:5000] ask me once"));
        assertThat(reply.getMessage().getHeader(Exchange.REDELIVERY_COUNTER)).isEqualTo(1);
        assertThat(stored("[slow:5000] ask me once")).as("the question, stored once").hasSize(1);
        assertThat(reply.getMessage().getHeader(ElizaConstants.IN_REPLY_TO))
                .isEqualTo(stored("[slow:5000] ask me once").get(0).get("id"));
    }

    @Test
    void aRequestWhoseCallerHasGivenUpIsNeverSent() throws Exception {
        // the first request keeps the channel's lane busy for 6 s; the second gives up after 1 s, still waiting its turn
        CompletableFuture<Exchange> first = ask(uri("&replyTimeout=30000"), "[slow:6000] keeps the lane busy");
        await().atMost(Duration.ofSeconds(30)).until(() -> !stored("[slow:6000] keeps the lane busy").isEmpty());
        Exchange gaveUp = ask(uri("&replyTimeout=1000"), "too late to ask").get(30, TimeUnit.SECONDS);

        // it fails at its own deadline, not when the request ahead of it is done
        assertThat(first).as("the first request, still waiting for its slow answer").isNotDone();
        assertThat(gaveUp.getException()).isInstanceOf(ExchangeTimedOutException.class)
                .hasMessageContaining("waited behind earlier requests and was not sent");
        assertThat(first.get(60, TimeUnit.SECONDS).getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "[slow:6000] keeps the lane busy"));
        assertThat(stored("too late to ask")).as("never sent").isEmpty();
    }

    @Test
    void aLaneHoldsAtMostMaxQueuedRequests() throws Exception {
        context.getComponent("eliza", org.cameleliza.component.eliza.ElizaComponent.class).setMaxQueuedRequests(1);
        CompletableFuture<Exchange> running = ask(uri(""), "[slow:2000] running");
        await().atMost(Duration.ofSeconds(30)).until(() -> !stored("[slow:2000] running").isEmpty());
        CompletableFuture<Exchange> waiting = ask(uri(""), "waiting");
        await().atMost(Duration.ofSeconds(30)).until(() -> ElizaTestSupport.console(context).get("requestLanes")
                .toString().endsWith("=1}"));
        Exchange refused = ask(uri(""), "one too many").get(30, TimeUnit.SECONDS);

        assertThat(refused.getException()).isInstanceOf(org.cameleliza.component.eliza.ElizaException.class)
                .hasMessageContaining("More than maxQueuedRequests (1)");
        assertThat(running.get(60, TimeUnit.SECONDS).getException()).isNull();
        assertThat(waiting.get(60, TimeUnit.SECONDS).getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "waiting"));
    }
}
