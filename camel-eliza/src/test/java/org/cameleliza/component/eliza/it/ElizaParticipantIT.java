package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.ExceptionHandler;
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
 * the message it received, and a route and an agent in one room never answer each other forever.
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

    @Test
    void theRouteAnswersAUsersQuestionInTheRoom() throws Exception {
        String channel = "participant-" + UUID.randomUUID();
        String uri = participantUri(channel, "");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:asked").transform(simple("Rules say: ${body}"));
            }
        });
        MockEndpoint asked = getMockEndpoint("mock:asked");
        asked.expectedBodiesReceived("Where is my parcel?", "marker");
        asked.setResultWaitTime(WAIT.toMillis());

        postAsUser(channel, false, "Where is my parcel?");
        postAsUser(channel, false, "marker");

        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 2);
        List<Map<String, Object>> messages = stored(channel);
        Map<String, Object> question = withText(messages, "Where is my parcel?");
        Map<String, Object> answer = withText(messages, "Rules say: Where is my parcel?");
        assertThat(answer.get("inReplyToRootMessageId")).isEqualTo(question.get("id"));
        assertThat(answer.get("authorId")).isEqualTo(entityOf(uri));
        assertThat(withText(messages, "Rules say: marker").get("inReplyToRootMessageId"))
                .isEqualTo(withText(messages, "marker").get("id"));
        // the question, the marker and one answer to each: the route never answered its own answers
        assertThat(messages).hasSize(4);
        assertThat(handler.errors).isEmpty();
    }

    @Test
    void aRouteAndAnAgentInOneRoomDoNotAnswerEachOtherForever() throws Exception {
        String channel = "participant-agent-" + UUID.randomUUID();
        String uri = participantUri(channel, "");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the answer repeats the question: the agent answers it unless it holds [ignore]
                from(uri).to("mock:asked").transform(simple("Desk notes: ${body}"));
            }
        });
        MockEndpoint asked = getMockEndpoint("mock:asked");
        asked.setResultWaitTime(WAIT.toMillis());
        asked.expectedBodiesReceived("Hello room", "[ignore] marker");

        postAsUser(channel, true, "Hello room");
        // the agent answered (the question or the route's answer: elizaOS 1.7 drops an answer a newer message overtook)
        await().atMost(WAIT).until(() -> stored(channel).stream().anyMatch(m -> agent().id().equals(m.get("authorId"))));
        // routed after anything the agent said before it: had the route answered the agent, it would have done so first
        postAsUser(channel, true, "[ignore] marker");
        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 2);

        List<Map<String, Object>> messages = stored(channel);
        List<Object> answered = answersOfParticipants(messages).stream().map(m -> m.get("inReplyToRootMessageId"))
                .toList();
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
        assertThat(thanks.get("inReplyToRootMessageId")).isEqualTo(withText(messages, agentAnswer).get("id"));
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
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:asked").transform(simple("On it: ${body}"));
            }
        });
        MockEndpoint asked = getMockEndpoint("mock:asked");
        asked.setResultWaitTime(WAIT.toMillis());
        asked.expectedBodiesReceived("Is @desk there?", "@Desk marker");

        postAsUser(channel, false, "Hello everyone");
        postAsUser(channel, false, "Is @desk there?");
        postAsUser(channel, false, "@Desktop is broken");
        postAsUser(channel, false, "@Desk marker");
        asked.assertIsSatisfied();
        await().atMost(WAIT).until(() -> answersOfParticipants(stored(channel)).size() == 2);

        List<Map<String, Object>> messages = stored(channel);
        assertThat(answersOfParticipants(messages)).extracting(m -> m.get("inReplyToRootMessageId"))
                .containsExactlyInAnyOrder(withText(messages, "Is @desk there?").get("id"),
                        withText(messages, "@Desk marker").get("id"));
        assertThat(messages).hasSize(6);
    }

    @Test
    void aFailedPostGoesToTheConsumersExceptionHandler() throws Exception {
        String channel = "participant-failed-" + UUID.randomUUID();
        String uri = participantUri(channel, "&exceptionHandler=#recordingHandler");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:asked").transform(simple("Answer: ${body}"));
            }
        });
        MockEndpoint asked = getMockEndpoint("mock:asked");
        asked.setResultWaitTime(WAIT.toMillis());
        asked.expectedBodiesReceived("first", "second");

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

    static final class RecordingExceptionHandler implements ExceptionHandler {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void handleException(Throwable exception) {
            errors.add(exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            errors.add(exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            errors.add(exception);
        }
    }
}
