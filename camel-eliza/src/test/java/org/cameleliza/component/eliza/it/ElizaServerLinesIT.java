package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The component's core against a real server of every elizaOS 1.x line, the newest patch of each: what
 * docs/compatibility.md reports comes from here. Where the lines differ, each test says what it expects of which line.
 */
@ParameterizedClass(name = "elizaOS {0}")
@ValueSource(strings = { "1.2", "1.3", "1.4", "1.5", "1.6", "1.7" })
class ElizaServerLinesIT extends CamelTestSupport {

    /** The version of the server each line runs (the newest patch the npm registry serves). */
    private static final Map<String, String> VERSIONS = Map.of("1.2", "1.2.12", "1.3", "1.3.2", "1.4", "1.4.2",
            "1.5", "1.5.8", "1.6", "1.6.5", "1.7", "1.7.2");

    private static ElizaLineServers servers;

    @RegisterExtension
    static final BeforeAllCallback SERVERS = context -> servers = ElizaLineServers.of(context);

    @Parameter
    String line;

    private ElizaTestServer server() {
        return servers.server(line);
    }

    private ElizaTestServer.Agent agent() {
        return server().agent();
    }

    private int minor() {
        return Integer.parseInt(line.substring(2));
    }

    /** An endpoint of a fresh channel of this line's server, with the API key; {@code options} start with '&'. */
    private String uri(String channel, String options) {
        return "eliza:" + channel + "?url=" + server().url() + "&apiKey=" + ElizaLineServers.API_KEY + options;
    }

    private String agentUri(String channel, String options) {
        return uri(channel, "&agentId=" + agent().id() + options);
    }

    private static String fresh(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @Test
    void readsTheServersVersionAtConnect() {
        String uri = uri(fresh("version"), "");
        assertThat(template.send(uri, e -> e.getMessage().setBody("which version?")).getException()).isNull();

        assertThat(context.getEndpoint(uri, ElizaEndpoint.class).getServerVersion()).isEqualTo(VERSIONS.get(line));
        // the operator's view: the dev console says what the component does on this line
        assertThat(ElizaTestSupport.console(context).toString())
                .contains("elizaOS " + VERSIONS.get(line) + " (reported by /api/system/version): "
                          + (minor() >= 6 ? "/channels" : "/central-channels") + " REST routes");
    }

    @Test
    void sentMessageIsAcknowledgedWithTheServersId() {
        Exchange sent = template.send(uri(fresh("ack"), ""), e -> e.getMessage().setBody("stored?"));

        assertThat(sent.getException()).isNull();
        assertThat(sent.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void consumerReceivesWhatOthersPostButNotItsOwnMessages() throws Exception {
        String channel = fresh("receive");
        String me = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(channel, "&entityId=" + me)).to("mock:received");
            }
        });
        MockEndpoint received = getMockEndpoint("mock:received");
        received.setResultWaitTime(30000);
        received.expectedBodiesReceived("from someone else");
        received.expectedHeaderReceived(ElizaConstants.SENDER_ID, other);
        received.setAssertPeriod(1500);
        awaitJoined(uri(channel, "&entityId=" + me));

        template.sendBody(uri(channel, "&entityId=" + me), "my own");
        template.sendBody(uri(channel, "&entityId=" + other), "from someone else");

        received.assertIsSatisfied();
    }

    @Test
    void requestReplyReturnsTheAgentsAnswer() {
        Exchange reply = template.request(agentUri(fresh("ask"), ""), e -> e.getMessage().setBody("hello " + line));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "hello " + line));
    }

    @Test
    void conversationsHaveTheirOwnChannelAndEachGetsItsAnswer() {
        String uri = agentUri(fresh("conversations"), "");
        List<CompletableFuture<Exchange>> asked = List.of("first", "second", "third").stream()
                .map(key -> template.asyncSend(uri, e -> {
                    e.setPattern(ExchangePattern.InOut);
                    e.getMessage().setHeader(ElizaConstants.CONVERSATION_KEY, key);
                    e.getMessage().setBody("question of " + key);
                }))
                .toList();

        List<Exchange> replies = asked.stream().map(CompletableFuture::join).toList();

        for (int i = 0; i < replies.size(); i++) {
            Exchange reply = replies.get(i);
            String key = List.of("first", "second", "third").get(i);
            assertThat(reply.getException()).isNull();
            assertThat(reply.getMessage().getBody(String.class))
                    .isEqualTo(ElizaTestServer.expectedReply(agent(), "question of " + key));
        }
        assertThat(replies.stream().map(r -> r.getMessage().getHeader(ElizaConstants.CHANNEL_ID)).distinct())
                .hasSize(3);
    }

    @Test
    void anAgentThatDoesNotAnswerEndsTheWaitOnlyWhereTheServerSaysSo() {
        if (minor() <= 4) {
            // messageComplete ends the agent's turn: the exchange completes at once, long before this timeout
            Exchange reply = template.request(agentUri(fresh("ignored"), "&replyTimeout=600000"),
                    e -> e.getMessage().setBody("please [ignore] this"));
            assertThat(reply.getException()).isNull();
            assertThat(reply.getMessage().getHeader(ElizaConstants.NO_REPLY)).isEqualTo(true);
            assertThat(reply.getMessage().getBody()).isNull();
        } else {
            // nothing tells that the turn ended without an answer: only replyTimeout ends the wait
            Exchange reply = template.request(agentUri(fresh("ignored"), "&replyTimeout=4000"),
                    e -> e.getMessage().setBody("please [ignore] this"));
            assertThat(reply.getException()).isInstanceOf(ExchangeTimedOutException.class);
        }
    }

    @Test
    void repliesAreStreamedOnlyFromElizaOs17() throws Exception {
        String channel = fresh("stream");
        String listener = uri(channel, "&events=messageStreamChunk&entityId=" + UUID.randomUUID());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(listener).to("mock:chunks");
            }
        });
        awaitJoined(listener);
        MockEndpoint chunks = getMockEndpoint("mock:chunks");

        Exchange reply = template.request(agentUri(channel, ""), e -> e.getMessage().setBody("stream this answer"));
        assertThat(reply.getException()).isNull();

        if (minor() >= 7) {
            await().atMost(Duration.ofSeconds(10)).until(() -> chunks.getReceivedCounter() > 0);
        } else {
            chunks.expectedMessageCount(0);
            chunks.setAssertPeriod(1500);
            chunks.assertIsSatisfied();
        }
    }

    @Test
    void consumerRejoinsAfterReconnectAndRecoversWhatWasPostedMeanwhile() throws Exception {
        String channel = fresh("gap");
        try (TcpProxy proxy = TcpProxy.to(server().port())) {
            String viaProxy = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port() + "&apiKey="
                              + ElizaLineServers.API_KEY + "&reconnectInitialDelay=200&reconnectMaxDelay=500";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(viaProxy).to("mock:gap");
                }
            });
            MockEndpoint gap = getMockEndpoint("mock:gap");
            gap.setResultWaitTime(60000);
            gap.expectedBodiesReceived("before", "missed 1", "missed 2", "after");
            gap.setAssertPeriod(1500);
            ElizaEndpoint endpoint = context.getEndpoint(viaProxy, ElizaEndpoint.class);
            String direct = uri(channel, "&entityId=" + UUID.randomUUID());

            template.sendBody(direct, "before");
            await().atMost(Duration.ofSeconds(30)).until(() -> gap.getReceivedCounter() == 1);
            proxy.setRefusing(true);
            proxy.closeOpenConnections();
            template.sendBody(direct, "missed 1");
            template.sendBody(direct, "missed 2");
            proxy.setRefusing(false);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> endpoint.getDisconnects() >= 1 && endpoint.isChannelJoined());
            template.sendBody(direct, "after");

            gap.assertIsSatisfied();
            assertThat(gap.getReceivedExchanges().subList(1, 3))
                    .allSatisfy(e -> assertThat(e.getMessage().getHeader(ElizaConstants.RECOVERED)).isEqualTo(true));
        }
    }

    @Test
    void wrongApiKeyIsRefusedWithAClearError() {
        String wrong = "not-the-key";
        Exchange refused = template.send("eliza:" + fresh("auth") + "?connectTimeout=10000&url=" + server().url()
                                         + "&apiKey=" + wrong, e -> e.getMessage().setBody("let me in"));

        assertThat(refused.getException()).isInstanceOf(ElizaAuthenticationException.class)
                .hasMessageNotContaining(wrong);
        if (minor() >= 6) {
            // the Socket.IO handshake checks the key
            assertThat(refused.getException()).hasMessageContaining("Invalid or missing API Key");
        } else {
            // the handshake is open before 1.6: the REST request at connect is where the key is refused
            assertThat(refused.getException()).hasMessageContaining("refused GET /api/system/version with HTTP 401");
        }
    }

    @Test
    void aConfiguredVersionIsTrustedInsteadOfRead() {
        String uri = agentUri(fresh("configured"), "&serverVersion=" + VERSIONS.get(line));
        Exchange reply = template.request(uri, e -> e.getMessage().setBody("configured " + line));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(agent(), "configured " + line));
        assertThat(context.getEndpoint(uri, ElizaEndpoint.class).getServerVersion()).isEqualTo(VERSIONS.get(line));
    }

    private void awaitJoined(String uri) {
        ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);
        await().atMost(Duration.ofSeconds(30)).until(endpoint::isChannelJoined);
    }
}
