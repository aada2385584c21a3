package org.cameleliza.component.eliza.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.component.eliza.ElizaRateLimitedException;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The producer's REST transports on a real elizaOS 1.7.2 server: transport=http (one POST per message, the agent's
 * answer in the HTTP answer) and transport=sse (the same POST, the answer streamed as server-sent events). No
 * Socket.IO connection; every request counted by the dev console. Prints what each transport spends of the server's
 * REST budget (its RateLimit-Remaining header, the agent's own requests included) as TRANSPORT-TEST: lines.
 */
class ElizaTransportIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.agents(1));

    // HTTP/1.1: the h2c upgrade of the default HTTP/2 goes to Socket.IO, which drops a connection not its own
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ElizaTestServer.Agent agent() {
        return eliza.server().agent();
    }

    private String uri(String channel, String options) {
        return "eliza:" + channel + "?url=" + eliza.url() + "&agentId=" + agent().id() + "&" + options;
    }

    private Exchange ask(String uri, String question) {
        Exchange reply = template.request(uri, e -> e.getMessage().setBody(question));
        assertThat(reply.getException()).as(question).isNull();
        return reply;
    }

    /** The REST requests of this context's producers with transport=http or sse, as the dev console shows them. */
    private long restRequests(String what) {
        return ((List<?>) ElizaTestSupport.console(context).get("restTransports")).stream().map(t -> (Map<?, ?>) t)
                .mapToLong(t -> t.get(what) instanceof Number ? ((Number) t.get(what)).longValue() : 0).sum();
    }

    /** What is left of the server's REST budget for this address (one request, not counted by the component). */
    private static long remainingBudget() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(eliza.url() + "/api/system/version"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(response.headers().firstValue("RateLimit-Remaining").orElseThrow());
    }

    @Test
    void httpAnswersTwoConversationsInParallelEachMessageWithExactlyItsAnswer() throws Exception {
        String a = uri("http-a-" + UUID.randomUUID(), "transport=http");
        String b = uri("http-b-" + UUID.randomUUID(), "transport=http");
        // each producer's start reads the server's version and message server id; each channel's participants once
        ask(a, "hello from a");
        ask(b, "hello from b");
        long warm = restRequests("restRequests");
        long budget = remainingBudget();

        List<String> questions = new ArrayList<>();
        List<CompletableFuture<Exchange>> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            for (String uri : List.of(a, b)) {
                String question = "question " + i + " of conversation " + (uri == a ? "a" : "b");
                questions.add(question);
                replies.add(template.asyncSend(uri, e -> e.getMessage().setBody(question)));
            }
        }
        for (int i = 0; i < questions.size(); i++) {
            Exchange reply = replies.get(i).get(60, TimeUnit.SECONDS);
            assertThat(reply.getException()).as(questions.get(i)).isNull();
            assertThat(reply.getMessage().getBody(String.class)).as(questions.get(i))
                    .isEqualTo(ElizaTestServer.expectedReply(agent(), questions.get(i)));
            assertThat(reply.getMessage().getHeader(ElizaConstants.SENDER_ID)).isEqualTo(agent().id());
            assertThat(reply.getMessage().getHeader(ElizaConstants.IN_REPLY_TO, String.class)).isNotBlank();
        }

        long spent = budget - remainingBudget() - 1;
        assertThat(ElizaTestSupport.connections(context)).as("no Socket.IO connection").isZero();
        assertThat(restRequests("restRequests") - warm).as("one REST request per answer").isEqualTo(10);
        System.out.printf("TRANSPORT-TEST: transport=http: 10 answers, %d REST requests of the component, %d of the"
                          + " server's budget in all (the agent's included)%n", restRequests("restRequests") - warm, spent);
    }

    @Test
    void whatEachTransportSpendsPerAnswer() throws Exception {
        for (String transport : List.of("socket", "http", "sse")) {
            String uri = uri(transport + "-" + UUID.randomUUID(), "transport=" + transport);
            ask(uri, "first question over " + transport);
            long budget = remainingBudget();
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                String question = "question " + i + " over " + transport;
                assertThat(ask(uri, question).getMessage().getBody(String.class))
                        .isEqualTo(ElizaTestServer.expectedReply(agent(), question));
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            long spent = budget - remainingBudget() - 1;
            System.out.printf("TRANSPORT-TEST: transport=%s: 5 answers after the first, %d requests of the server's"
                              + " REST budget in all (%.1f per answer), %d ms per answer%n", transport, spent,
                    spent / 5.0, millis / 5);
        }
    }

    @Test
    void theConversationIsNotBroadcastAndTheAnswerIsNotInTheChannelsHistory() throws Exception {
        String channel = "history-" + UUID.randomUUID();
        ask(uri(channel, "transport=http"), "is this stored?");

        List<Object> contents = new ElizaRest(eliza.url()).messages(ElizaIds.channelId(channel), 10).stream()
                .map(m -> m.get("content")).toList();
        assertThat(contents).containsExactly("is this stored?");
    }

    @Test
    void aChannelWhereSomeoneElseComesBeforeTheAgentIsRefusedBeforeAsking() throws Exception {
        String channel = "shared-" + UUID.randomUUID();
        // someone else opens the channel (one-way, no agent): the server would give them a question posted over REST
        String someoneElse = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        assertThat(template.send(someoneElse, e -> e.getMessage().setBody("I was here first")).getException()).isNull();

        Exchange refused = template.request(uri(channel, "transport=http"), e -> e.getMessage().setBody("hello?"));

        assertThat(refused.getException()).isInstanceOf(ElizaMessageRejectedException.class)
                .hasMessageContaining("before agent " + agent().id());
        assertThat(new ElizaRest(eliza.url()).messages(ElizaIds.channelId(channel), 10).stream()
                .map(m -> m.get("content")).toList()).as("nothing posted").containsExactly("I was here first");
    }

    @Test
    void anAgentThatDoesNotAnswerIsNoReplyOverSseAndAServerErrorOverHttp() {
        for (String options : List.of("transport=sse", "transport=sse&streaming=true")) {
            Exchange reply = ask(uri("ignored-" + UUID.randomUUID(), options), "[ignore] nothing to say");
            assertThat(reply.getMessage().getHeader(ElizaConstants.NO_REPLY)).as(options).isEqualTo(true);
            assertThat(reply.getMessage().getBody()).as(options).isNull();
        }
        // elizaOS 1.7.2 cannot write an IGNORE as JSON (its response content refers to itself): HTTP 500
        Exchange failed = template.request(uri("ignored-" + UUID.randomUUID(), "transport=http"),
                e -> e.getMessage().setBody("[ignore] nothing to say"));
        assertThat(failed.getException()).isInstanceOf(ElizaException.class)
                .hasMessageContaining("answered HTTP 500: Failed to process message in HTTP transport")
                .hasMessageContaining("chose not to answer");
    }

    @Test
    void sseWithoutStreamingGivesTheWholeAnswer() {
        String question = "the whole answer at once";
        Exchange reply = ask(uri("sse-" + UUID.randomUUID(), "transport=sse"), question);

        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent(), question));
        assertThat(reply.getMessage().getHeader(ElizaConstants.IN_REPLY_TO, String.class)).isNotBlank();
    }

    @Test
    void sseWithStreamingGivesTheChunksInOrderAsTheAgentWritesThem() {
        String question = "tell me something long enough to come in several chunks";
        Exchange reply = ask(uri("stream-" + UUID.randomUUID(), "transport=sse&streaming=true"), question);
        ElizaAnswerStream stream = reply.getMessage().getBody(ElizaAnswerStream.class);

        List<String> chunks = new ArrayList<>();
        stream.forEachRemaining(chunks::add);

        String expected = ElizaTestServer.expectedReply(agent(), question);
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(String.join("", chunks)).isEqualTo(expected);
        assertThat(stream.getText()).isEqualTo(expected);
        assertThat(reply.getMessage().getHeader(ElizaConstants.STREAMED_TEXT)).isEqualTo(expected);
        assertThat(ElizaTestSupport.connections(context)).as("no Socket.IO connection").isZero();
        System.out.printf("TRANSPORT-TEST: transport=sse&streaming=true: %d chunks for %d characters%n", chunks.size(),
                expected.length());
    }

    @Test
    void aRateLimitedSendFailsTheExchangeAndPausesRestUntilTheServerAllowsItAgain() {
        String channel = "limited-" + UUID.randomUUID();
        String uri = uri(channel, "transport=http");
        ask(uri, "before the limit");
        long requests = restRequests("restRequests");
        eliza.server().rateLimitNextRequests("/api/messaging/channels/" + ElizaIds.channelId(channel) + "/messages", 1,
                Duration.ofSeconds(3));

        Exchange limited = template.request(uri, e -> e.getMessage().setBody("while the limit is spent"));
        Exchange paused = template.request(uri, e -> e.getMessage().setBody("while paused"));

        assertThat(limited.getException()).isInstanceOf(ElizaRateLimitedException.class);
        assertThat(((ElizaRateLimitedException) limited.getException()).getRetryAt()).isNotNull();
        assertThat(paused.getException()).isInstanceOf(ElizaRateLimitedException.class)
                .hasMessageContaining("was not made");
        assertThat(restRequests("restRequests")).as("the 429, and none while paused").isEqualTo(requests + 1);
        assertThat(restRequests("restRateLimited")).isEqualTo(1);
        assertThat(restRequests("restNotMadeWhilePaused")).isEqualTo(1);

        // once the server's window is over (as its 429 said), the next message is sent and answered
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> template.request(uri, e -> e.getMessage().setBody("after the pause")).getException() == null);
    }
}
