package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server's REST budget: elizaOS 1.7 allows a client address 1000 REST requests per 15 minutes over all of /api,
 * its own agents' included (about 3 per answer), and answers 429 once it is spent. Request-reply spends none in the
 * steady state: the agent's next message is matched by position wherever nothing else could pass for it, and read back
 * over REST only where something could. A 429 pauses REST to the server until the time it names, with no request made
 * meanwhile: a reply is then matched by position, and a gap recovery is read once the server allows it again. The
 * component's own REST requests are counted by the dev console.
 */
class ElizaRestBudgetIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private final String channel = "budget-" + UUID.randomUUID();
    private final String channelId = ElizaIds.channelId(channel);

    private ElizaTestServer.Agent agent() {
        return eliza.server().agent();
    }

    private String askUri() {
        return "eliza:" + channel + "?url=" + eliza.url() + "&agentId=" + agent().id();
    }

    private void ask(String question) {
        Exchange reply = template.request(askUri(), e -> e.getMessage().setBody(question));
        assertThat(reply.getException()).as(question).isNull();
        assertThat(reply.getMessage().getBody(String.class)).as(question)
                .isEqualTo(ElizaTestServer.expectedReply(agent(), question));
    }

    /** Posts one-way as another entity of the room. */
    private void postAsSomeoneElse(String text) {
        String uri = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        assertThat(template.send(uri, e -> e.getMessage().setBody(text)).getException()).isNull();
    }

    /** A number the dev console shows for the connections of this context, summed. */
    private long rest(String what) {
        return ((List<?>) ElizaTestSupport.console(context).get("connections")).stream().map(c -> (Map<?, ?>) c)
                .mapToLong(c -> c.get(what) instanceof Number ? ((Number) c.get(what)).longValue() : 0).sum();
    }

    /** The REST requests of the asking connection only (the default entity of this context). */
    private long asked() {
        String asker = context.getEndpoint(askUri(), org.cameleliza.component.eliza.ElizaEndpoint.class).getEntityId();
        return ((List<?>) ElizaTestSupport.console(context).get("connections")).stream().map(c -> (Map<?, ?>) c)
                .filter(c -> asker.equals(c.get("entityId")))
                .mapToLong(c -> ((Number) c.get("restRequests")).longValue()).sum();
    }

    private boolean restPaused() {
        return ((List<?>) ElizaTestSupport.console(context).get("connections")).stream().map(c -> (Map<?, ?>) c)
                .anyMatch(c -> c.get("restPausedUntil") != null);
    }

    @Test
    void aConversationSpendsNoRestRequestOnceItsFirstAnswerIsIdentified() {
        ask("first question");
        long afterFirst = asked();
        assertThat(afterFirst).as("the connect's reads and the first answer's").isPositive();

        for (int i = 0; i < 20; i++) {
            ask("question " + i);
        }

        assertThat(asked()).as("REST requests for 20 more answers").isEqualTo(afterFirst);
    }

    @Test
    void someoneElsesMessageInTheRoomHasTheNextAnswerReadBackThenNoneAgain() throws Exception {
        String someoneElse = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        ask("first question");
        ask("second question");
        // their connection is up before counting: only the asker's requests are counted anyway
        assertThat(template.send(someoneElse, e -> e.getMessage().setBody("[ignore] hello")).getException()).isNull();
        long settled = asked();

        // someone else writes; the agent's answer to it comes while our question waits, and must not pass for ours
        Exchange note = template.send(someoneElse, e -> e.getMessage().setBody("[ignore] a note from someone else"));
        assertThat(note.getException()).isNull();
        String noteId = note.getMessage().getHeader(org.cameleliza.component.eliza.ElizaConstants.MESSAGE_ID,
                String.class);
        java.util.concurrent.CompletableFuture<Exchange> question = template.asyncSend(askUri(), e -> {
            e.setPattern(org.apache.camel.ExchangePattern.InOut);
            e.getMessage().setBody("[slow:3000] a question after the note");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> new ElizaRest(eliza.url()).messages(channelId, 5).stream()
                .anyMatch(m -> "[slow:3000] a question after the note".equals(m.get("content"))));
        new ElizaRest(eliza.url()).submitAsAgent(channelId, agent().id(), agent().name(), "the answer to the note",
                noteId);

        Exchange reply = question.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "[slow:3000] a question after the note"));
        long afterNote = asked();
        ask("and one more");

        assertThat(afterNote - settled).as("both agent messages after someone else's, read back").isEqualTo(2);
        assertThat(asked()).as("settled again: none").isEqualTo(afterNote);
    }

    @Test
    void aRateLimitedReadPausesRestAndTheAnswersStillArrive() {
        // the first answer of a new conversation is read back; the server's rate limit is spent for it
        eliza.server().rateLimitNextRequests("/api/messaging/channels/" + channelId + "/messages", 1,
                Duration.ofSeconds(4));
        ask("asked while the rate limit is spent");

        assertThat(eliza.server().pendingFailures()).isZero();
        assertThat(rest("restRateLimited")).isEqualTo(1);
        long requests = rest("restRequests");
        // still not settled, so this answer would be read back: while paused, no request is made for it
        ask("asked again while paused");
        assertThat(rest("restRequests")).as("no request while paused").isEqualTo(requests);
        assertThat(rest("restNotMadeWhilePaused")).isPositive();
        assertThat(ElizaTestSupport.console(context).toString()).contains("restLastRateLimit=")
                .contains("RateLimit-Reset: 4");

        await().atMost(Duration.ofSeconds(30)).until(() -> !restPaused());
        ask("asked after the pause");
        long afterPause = rest("restRequests");
        ask("and once more");

        assertThat(afterPause).as("read back again once the server allows it").isGreaterThan(requests);
        assertThat(rest("restRequests")).isEqualTo(afterPause);
        assertThat(rest("restRateLimited")).as("one 429, never a retry into the limit").isEqualTo(1);
    }

    @Test
    void aGapRecoveryTheServerRateLimitedIsReadOnceItAllowsAgain() throws Exception {
        String consumerEntity = UUID.randomUUID().toString();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + consumerEntity).routeId("listener")
                        .to("mock:listener");
            }
        });
        MockEndpoint listener = getMockEndpoint("mock:listener");
        listener.expectedBodiesReceived("before the stop");
        postAsSomeoneElse("before the stop");
        listener.assertIsSatisfied();

        context.getRouteController().stopRoute("listener");
        postAsSomeoneElse("[ignore] while stopped 1");
        postAsSomeoneElse("[ignore] while stopped 2");
        eliza.server().rateLimitNextRequests("/api/messaging/channels/" + channelId + "/messages", 1,
                Duration.ofSeconds(2));
        listener.reset();
        listener.setResultWaitTime(60_000);
        listener.expectedBodiesReceived("[ignore] while stopped 1", "[ignore] while stopped 2");
        listener.setAssertPeriod(2000);
        context.getRouteController().startRoute("listener");

        listener.assertIsSatisfied();
        assertThat(eliza.server().pendingFailures()).isZero();
        assertThat(rest("restRateLimited")).isEqualTo(1);
    }
}
