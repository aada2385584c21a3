package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.BindToRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routes that take part in a room ({@code reply=true}): the route's result is stored in the channel as the answer to
 * the message it received (over the consumer's Socket.IO connection, without a REST request, by default; with
 * {@code replyVia=rest} over REST, stored with inReplyToRootMessageId, and over the socket while the server answers
 * 429), and a route and an agent in one room never answer each other forever.
 */
class ElizaParticipantIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private static final Duration WAIT = Duration.ofSeconds(45);

    @BindToRegistry("recordingHandler")
    private final RecordingExceptionHandler handler = new RecordingExceptionHandler();

    private final String user = UUID.randomUUID().toString();

    private ElizaTestServer.Agent agent() {
        return eliza.server().agent();
    }

    /** A user's one-way send; with the agent, as a direct message that makes the agent a participant of the channel. */
    private void postAsUser(String channel, boolean withAgent, String text) {
        template.sendBody("eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + user + "&senderName=User"
                          + "&requestReply=false" + (withAgent ? "&agentId=" + agent().id() : ""), text);
    }

    private String participantUri(String channel, String options) {
        return "eliza:" + channel + "?url=" + eliza.url() + "&reply=true&senderName=Desk" + options;
    }

    private String entityOf(String uri) {
        return context.getEndpoint(uri, ElizaEndpoint.class).getEntityId();
    }

    private static List<Map<String, Object>> stored(String channel) throws Exception {
        return new ElizaRest(eliza.url()).allMessages(ElizaIds.channelId(channel));
    }

    private static List<Map<String, Object>> answersOfParticipants(List<Map<String, Object>> messages) {
        return messages.stream().filter(m -> "camel_reply".equals(m.get("sourceType"))).toList();
    }

    private static Map<String, Object> withText(List<Map<String, Object>> messages, String text) {
        return messages.stream().filter(m -> text.equals(m.get("content"))).findFirst().orElseThrow();
    }

    /** The id of the message an answer names in its metadata (both ways of posting set it). */
    private static Object linkOf(Map<String, Object> answer) {
        return ((Map<?, ?>) answer.get("metadata")).get("inReplyTo");
    }

    /** A number the dev console shows for the connection of an entity (the participant's). */
    private long restOf(String entity, String what) {
        return ((List<?>) ElizaTestSupport.console(context).get("connections")).stream().map(c -> (Map<?, ?>) c)
                .filter(c -> entity.equals(c.get("entityId")))
                .mapToLong(c -> c.get(what) instanceof Number ? ((Number) c.get(what)).longValue() : 0).sum();
    }

    private boolean restPaused() {
        return ((List<?>) ElizaTestSupport.console(context).get("connections")).stream().map(c -> (Map<?, ?>) c)
                .anyMatch(c -> c.get("restPausedUntil") != null);
    }

    @Test
    void theRouteAnswersAUsersQuestionInTheRoomOverItsSocketWithoutRest() throws Exception {
        String channel = "participant-" + UUID.randomUUID();
        String uri = participantUri(channel, "");
        MockEndpoint asked = participant(uri, "Rules say: ", "Where is my parcel?", "second", "third", "marker");

        postAsUser(channel, false, "Where is my parcel?");
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 1);
        // what the participant's connection spent on its connect: the answers add nothing to it
        long afterFirst = restOf(entityOf(uri), "restRequests");
        postAsUser(channel, false, "second");
        postAsUser(channel, false, "third");
        postAsUser(channel, false, "marker");

        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 4);
        List<Map<String, Object>> messages = stored(channel);
        for (String question : List.of("Where is my parcel?", "second", "third", "marker")) {
            Map<String, Object> answer = withText(messages, "Rules say: " + question);
            assertThat(linkOf(answer)).as(question).isEqualTo(withText(messages, question).get("id"));
            assertThat(answer.get("authorId")).isEqualTo(entityOf(uri));
            assertThat(answer.get("sourceType")).isEqualTo("camel_reply");
            // elizaOS stores a message of a socket without the message it answers
            assertThat(answer.get("inReplyToRootMessageId")).isNull();
        }
        assertThat(restOf(entityOf(uri), "restRequests")).as("REST requests for 3 more answers").isEqualTo(afterFirst);
        // the questions and one answer to each: the route never answered its own answers
        assertThat(messages).hasSize(8);
        assertThat(handler.errors).isEmpty();
    }

    @Test
    void withReplyViaRestTheAnswerIsStoredAsTheAnswerAtOneRestRequestEach() throws Exception {
        String channel = "participant-rest-" + UUID.randomUUID();
        String uri = participantUri(channel, "&replyVia=rest");
        MockEndpoint asked = participant(uri, "Rules say: ", "Where is my parcel?", "marker");

        postAsUser(channel, false, "Where is my parcel?");
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 1);
        long afterFirst = restOf(entityOf(uri), "restRequests");
        postAsUser(channel, false, "marker");

        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 2);
        List<Map<String, Object>> messages = stored(channel);
        for (String question : List.of("Where is my parcel?", "marker")) {
            Map<String, Object> answer = withText(messages, "Rules say: " + question);
            assertThat(answer.get("inReplyToRootMessageId")).as(question).isEqualTo(withText(messages, question).get("id"));
            assertThat(linkOf(answer)).as(question).isEqualTo(withText(messages, question).get("id"));
            assertThat(answer.get("authorId")).isEqualTo(entityOf(uri));
        }
        assertThat(restOf(entityOf(uri), "restRequests")).as("one REST request per answer").isEqualTo(afterFirst + 1);
        assertThat(messages).hasSize(4);
        assertThat(handler.errors).isEmpty();
    }

    @Test
    void withReplyViaRestARateLimitedAnswerStillArrivesOverTheSocket() throws Exception {
        String channel = "participant-429-" + UUID.randomUUID();
        String uri = participantUri(channel, "&replyVia=rest&exceptionHandler=#recordingHandler");
        MockEndpoint asked = participant(uri, "Answer: ", "first", "second");

        eliza.server().rateLimitNextRequests("/api/messaging/ingest-external", 1, Duration.ofSeconds(5));
        postAsUser(channel, false, "first");
        postAsUser(channel, false, "second");
        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 2);

        assertThat(eliza.server().pendingFailures()).isZero();
        assertThat(restOf(entityOf(uri), "restRateLimited")).as("one 429, never a retry into the limit").isEqualTo(1);
        List<Map<String, Object>> messages = stored(channel);
        Map<String, Object> first = withText(messages, "Answer: first");
        // the 429's answer went over the socket: linked by its metadata only
        assertThat(first.get("inReplyToRootMessageId")).isNull();
        assertThat(linkOf(first)).isEqualTo(withText(messages, "first").get("id"));
        assertThat(first.get("authorId")).isEqualTo(entityOf(uri));
        assertThat(linkOf(withText(messages, "Answer: second"))).isEqualTo(withText(messages, "second").get("id"));
        assertThat(handler.errors).isEmpty();

        // once the server allows REST again, answers are stored as answers again
        await().atMost(WAIT).until(() -> !restPaused());
        asked.reset();
        asked.expectedBodiesReceived("third");
        postAsUser(channel, false, "third");
        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 3);
        messages = stored(channel);
        assertThat(withText(messages, "Answer: third").get("inReplyToRootMessageId"))
                .isEqualTo(withText(messages, "third").get("id"));
        assertThat(messages).hasSize(6);
        assertThat(handler.errors).isEmpty();
    }

    @Test
    void aRouteAndAnAgentInOneRoomDoNotAnswerEachOtherForever() throws Exception {
        String channel = "participant-agent-" + UUID.randomUUID();
        String uri = participantUri(channel, "");
        // the answer repeats the question: the agent answers it unless it holds [ignore]
        MockEndpoint asked = participant(uri, "Desk notes: ", "Hello room", "[ignore] marker");

        postAsUser(channel, true, "Hello room");
        // the agent answered (the question or the route's answer: elizaOS 1.7 drops an answer a newer message overtook)
        await().atMost(WAIT).until(() -> stored(channel).stream().anyMatch(m -> agent().id().equals(m.get("authorId"))));
        // routed after anything the agent said before it: had the route answered the agent, it would have done so first
        postAsUser(channel, true, "[ignore] marker");
        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 2);

        List<Map<String, Object>> messages = stored(channel);
        List<Object> answered = answersOfParticipants(messages).stream().map(ElizaParticipantIT::linkOf).toList();
        assertThat(answered).containsExactlyInAnyOrder(withText(messages, "Hello room").get("id"),
                withText(messages, "[ignore] marker").get("id"));
        long agentMessages = messages.stream().filter(m -> agent().id().equals(m.get("authorId"))).count();
        // the agent answers the user's question and the route's answer to it, at most; nothing else follows
        assertThat(agentMessages).isBetween(1L, 2L);
        assertThat(messages).hasSize((int) (4 + agentMessages));
    }

    @Test
    void withReplyToAgentsTheRouteAnswersTheAgentAndNeverItself() throws Exception {
        String channel = "participant-agents-" + UUID.randomUUID();
        String uri = participantUri(channel, "&replyToAgents=true");
        String question = "Question for the agent";
        String agentAnswer = ElizaTestServer.expectedReply(agent(), question);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // thanks the agent for its answer to the question, once; every other message gets no answer (a null
                // body), which bounds the exchange: the agent answers everything, the thanks included
                from(uri).to("mock:asked")
                        .choice().when(body().isEqualTo(agentAnswer)).transform(simple("Thanks: ${body}"))
                        .otherwise().setBody(constant(null));
            }
        });
        MockEndpoint asked = getMockEndpoint("mock:asked");
        asked.setResultWaitTime(WAIT.toMillis());

        postAsUser(channel, true, question);
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 1);
        String thanksId = (String) answersOfParticipants(stored(channel)).get(0).get("id");
        // the agent answers the thanks: the route receives that too (replyToAgents), and answers nothing
        await().atMost(WAIT).until(() -> stored(channel).stream()
                .anyMatch(m -> thanksId.equals(m.get("inReplyToRootMessageId"))));
        postAsUser(channel, true, "[ignore] marker");
        await().atMost(WAIT).until(() -> asked.getReceivedExchanges().stream()
                .anyMatch(e -> "[ignore] marker".equals(e.getMessage().getBody())));

        List<Map<String, Object>> messages = stored(channel);
        Map<String, Object> thanks = answersOfParticipants(messages).get(0);
        assertThat(answersOfParticipants(messages)).hasSize(1);
        assertThat(thanks.get("content")).isEqualTo("Thanks: " + agentAnswer);
        assertThat(linkOf(thanks)).isEqualTo(withText(messages, agentAnswer).get("id"));
        assertThat(thanks.get("authorId")).isEqualTo(entityOf(uri));
        // the question, the agent's answer, the thanks, the agent's answer to it, the marker: the route received all
        // but its own thanks, in order
        assertThat(asked.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(ElizaConstants.MESSAGE_ID))
                .containsExactly(withText(messages, question).get("id"), withText(messages, agentAnswer).get("id"),
                        messages.stream().filter(m -> thanksId.equals(m.get("inReplyToRootMessageId"))).findFirst()
                                .orElseThrow().get("id"),
                        withText(messages, "[ignore] marker").get("id"));
        assertThat(messages).hasSize(5);
    }

    @Test
    void withReplyFilterMentionsTheRouteAnswersOnlyMessagesThatMentionIt() throws Exception {
        String channel = "participant-mentions-" + UUID.randomUUID();
        String uri = participantUri(channel, "&replyFilter=mentions");
        MockEndpoint asked = participant(uri, "On it: ", "Is @desk there?", "@Desk marker");

        postAsUser(channel, false, "Hello everyone");
        postAsUser(channel, false, "Is @desk there?");
        postAsUser(channel, false, "@Desktop is broken");
        postAsUser(channel, false, "@Desk marker");
        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 2);

        List<Map<String, Object>> messages = stored(channel);
        assertThat(answersOfParticipants(messages)).extracting(ElizaParticipantIT::linkOf)
                .containsExactlyInAnyOrder(withText(messages, "Is @desk there?").get("id"),
                        withText(messages, "@Desk marker").get("id"));
        assertThat(messages).hasSize(6);
    }

    @Test
    void aFailedRestPostGoesToTheConsumersExceptionHandler() throws Exception {
        String channel = "participant-failed-" + UUID.randomUUID();
        String uri = participantUri(channel, "&replyVia=rest&exceptionHandler=#recordingHandler");
        MockEndpoint asked = participant(uri, "Answer: ", "first", "second");

        eliza.server().failNextRequests("/api/messaging/ingest-external", 503, 1);
        postAsUser(channel, false, "first");
        postAsUser(channel, false, "second");
        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 1);

        assertThat(handler.errors).hasSize(1);
        assertThat(handler.errors.get(0)).isInstanceOf(ElizaException.class).hasMessageContaining("HTTP 503");
        List<Map<String, Object>> messages = stored(channel);
        assertThat(answersOfParticipants(messages).get(0).get("inReplyToRootMessageId"))
                .isEqualTo(withText(messages, "second").get("id"));
    }

    @Test
    void anAnswerTooLargeForTheSocketGoesToTheConsumersExceptionHandler() throws Exception {
        String channel = "participant-large-" + UUID.randomUUID();
        String uri = participantUri(channel, "&maxMessageSize=2000&exceptionHandler=#recordingHandler");
        String large = "x".repeat(3000);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:asked")
                        .choice().when(body().isEqualTo("first")).setBody(constant(large))
                        .otherwise().transform(simple("Answer: ${body}"));
            }
        });
        MockEndpoint asked = getMockEndpoint("mock:asked");
        asked.setResultWaitTime(WAIT.toMillis());
        asked.expectedBodiesReceived("first", "second");

        postAsUser(channel, false, "first");
        postAsUser(channel, false, "second");
        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 1);

        assertThat(handler.errors).hasSize(1);
        assertThat(handler.errors.get(0)).isInstanceOf(ElizaException.class).hasMessageContaining("maxMessageSize");
        List<Map<String, Object>> messages = stored(channel);
        assertThat(linkOf(answersOfParticipants(messages).get(0))).isEqualTo(withText(messages, "second").get("id"));
        assertThat(messages).hasSize(3);
    }

    /** Starts the participant route of {@code uri}, answering "prefix + question", and returns the mock that expects
     * these questions. */
    private MockEndpoint participant(String uri, String prefix, String... questions) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:asked").transform(simple(prefix + "${body}"));
            }
        });
        MockEndpoint asked = getMockEndpoint("mock:asked");
        asked.setResultWaitTime(WAIT.toMillis());
        asked.expectedBodiesReceived((Object[]) questions);
        return asked;
    }
}
