package org.cameleliza.component.eliza.it;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.test.ElizaTestPostgres;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Data isolation (ENABLE_DATA_ISOLATION=true, elizaOS 1.6 and later) against a real server on PostgreSQL with
 * pgvector: the deployment has a message server id of its own, only a channel's participants may join it, and a
 * channel exists only once a first message created it.
 */
@ParameterizedClass(name = "elizaOS {0}")
@ValueSource(strings = { "1.6", "1.7" })
class ElizaDataIsolationIT extends CamelTestSupport {

    /** A database and a server on it, per line: their schemas differ, so the lines do not share a database. */
    private record Deployment(ElizaTestPostgres postgres, ElizaTestServer server) implements AutoCloseable {

        static Deployment start(String line) {
            ElizaTestPostgres postgres = ElizaTestPostgres.start();
            try {
                ElizaTestServer.Builder builder = ElizaTestServer.builder().line(line).logFile(Paths.get(
                        System.getProperty("eliza.testServer.logDir", "target/eliza-server-logs"),
                        "data-isolation-" + line + ".log"));
                postgres.dataIsolationEnvironment(UUID.randomUUID()).forEach(builder::environment);
                return new Deployment(postgres, builder.build().start());
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                postgres.close();
            }
        }
    }

    private static final Map<String, Deployment> DEPLOYMENTS = new ConcurrentHashMap<>();

    @Parameter
    String line;

    @AfterAll
    static void stopDeployments() {
        DEPLOYMENTS.values().forEach(Deployment::close);
        DEPLOYMENTS.clear();
    }

    private ElizaTestServer server() {
        return DEPLOYMENTS.computeIfAbsent(line, Deployment::start).server();
    }

    private String uri(String channel, String options) {
        return "eliza:" + channel + "?url=" + server().url() + options;
    }

    private String agentUri(String channel, String options) {
        return uri(channel, "&agentId=" + server().agent().id() + options);
    }

    private static String fresh(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @Test
    void messagesCarryTheDeploymentsOwnMessageServerId() {
        // the default id would be answered "Server 00000000-... does not exist"
        Exchange sent = template.send(agentUri(fresh("server-id"), "&requestReply=false"),
                e -> e.getMessage().setBody("hello"));

        assertThat(sent.getException()).isNull();
        String console = ElizaTestSupport.console(context).toString();
        assertThat(console).contains("messageServerId=").doesNotContain(ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID);
    }

    @Test
    void aMessageServerIdTheConnectCouldNotReadIsReadLater() {
        // the server's rate limit is spent when the connection asks for the id: messages carry the default id, which
        // this mode refuses, until the id is read again, without waiting for a reconnect that may never come
        server().rateLimitNextRequests("/api/messaging/message-server/current", 1, Duration.ofSeconds(2));
        String uri = agentUri(fresh("late-id"), "&requestReply=false");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                template.send(uri, e -> e.getMessage().setBody("eventually")).getException()).isNull());
        assertThat(server().pendingFailures()).as("the connect's read was refused").isZero();
        assertThat(context.getEndpoint(uri, ElizaEndpoint.class).getConnectAttempts()).as("no reconnect").isEqualTo(1);
    }

    @Test
    void aVersionTheConnectCouldNotReadIsReadLater() {
        // an overloaded server: the line is inferred from what it offers until its version is read again
        server().failNextRequests("/api/system/version", 503, 1);
        String uri = agentUri(fresh("late-version"), "&requestReply=false");

        assertThat(template.send(uri, e -> e.getMessage().setBody("while inferred")).getException()).isNull();
        assertThat(server().pendingFailures()).as("the connect's read failed").isZero();
        ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(endpoint.getServerVersion()).startsWith(line + "."));
    }

    @Test
    void transportHttpAsksWithTheDeploymentsOwnMessageServerIdFrom17() {
        // one REST request per question, with the deployment's id (the default one is forbidden in this mode)
        String question = "isolated over http " + line;
        String uri = agentUri(fresh("http"), "&transport=http");
        if ("1.6".equals(line)) {
            assertThatThrownBy(() -> {
                Exchange failed = template.request(uri, e -> e.getMessage().setBody(question));
                if (failed.getException() != null) {
                    throw failed.getException();
                }
            }).hasStackTraceContaining("needs elizaOS 1.7 or later, but the server is 1.6.5");
            return;
        }
        Exchange reply = template.request(uri, e -> e.getMessage().setBody(question));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(server().agent(), question));
    }

    @Test
    void requestReplyOpensItsConversationAndGetsTheAnswer() {
        // the channel does not exist before this message: joining it first is refused, so the request sends first
        Exchange reply = template.request(agentUri(fresh("ask"), ""), e -> e.getMessage().setBody("isolated " + line));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(server().agent(), "isolated " + line));
    }

    @Test
    void aRedeliveredRequestFindsTheAnswerStoredWhileNobodyListened() throws Exception {
        // the answer comes after the first attempt gave up and before the redelivery joined again: it is read back over
        // REST, where this mode stores it without the id of the message it answers, so it is found by its place
        String question = "[slow:6000] asked once " + line;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").errorHandler(defaultErrorHandler().maximumRedeliveries(1).redeliveryDelay(5000))
                        .to(agentUri(fresh("redelivered"), "&replyTimeout=3000"));
            }
        });

        Exchange reply = template.request("direct:ask", e -> e.getMessage().setBody(question));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader(Exchange.REDELIVERY_COUNTER)).isEqualTo(1);
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(server().agent(), question));
        assertThat(reply.getMessage().getHeader(ElizaConstants.RECOVERED, Boolean.class))
                .as("read back over REST, not heard").isTrue();
    }

    @Test
    void concurrentConversationsEachGetTheirAnswer() {
        String uri = agentUri(fresh("conversations"), "");
        List<String> keys = List.of("one", "two", "three");
        List<CompletableFuture<Exchange>> asked = keys.stream().map(key -> template.asyncSend(uri, e -> {
            e.setPattern(ExchangePattern.InOut);
            e.getMessage().setHeader(ElizaConstants.CONVERSATION_KEY, key);
            e.getMessage().setBody("question " + key);
        })).toList();

        for (int i = 0; i < keys.size(); i++) {
            Exchange reply = asked.get(i).join();
            assertThat(reply.getException()).isNull();
            assertThat(reply.getMessage().getBody(String.class))
                    .isEqualTo(ElizaTestServer.expectedReply(server().agent(), "question " + keys.get(i)));
        }
    }

    @Test
    void onlyTheChannelsParticipantsMayListenToIt() throws Exception {
        String channel = fresh("participants");
        String member = UUID.randomUUID().toString();
        String stranger = UUID.randomUUID().toString();
        // the member's first message creates the channel, with the member and the agent in it
        assertThat(template.request(agentUri(channel, "&entityId=" + member), e -> e.getMessage().setBody("first"))
                .getException()).isNull();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(agentUri(channel, "&agentMessagesOnly=true&entityId=" + member)).routeId("member")
                        .to("mock:member");
                from(agentUri(channel, "&entityId=" + stranger + "&testConnectionOnStartup=true")).routeId("stranger")
                        .autoStartup(false)
                        .to("mock:stranger");
            }
        });
        MockEndpoint member1 = getMockEndpoint("mock:member");
        member1.setResultWaitTime(30000);
        member1.expectedBodiesReceived(ElizaTestServer.expectedReply(server().agent(), "second"));

        template.send(agentUri(channel, "&entityId=" + member + "&requestReply=false"),
                e -> e.getMessage().setBody("second"));
        member1.assertIsSatisfied();

        Throwable refused = catchThrowable(() -> context.getRouteController().startRoute("stranger"));
        assertThat(refused).rootCause().isInstanceOf(ElizaMessageRejectedException.class)
                .hasMessageContaining("Access denied");
    }
}
