package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Headers in, headers out: what one eliza: endpoint wrote (its client message id, an agent's name and attachments, its
 * redelivery state) is never taken by the next eliza: send of the exchange, or of the exchanges split from it, as an
 * instruction. Only the input headers steer a send, and each is removed once read.
 */
class ElizaHeaderHygieneIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private static String fresh(String name) {
        return "hygiene-" + name + "-" + UUID.randomUUID();
    }

    private String uri(String channel) {
        return "eliza:" + channel + "?url=" + eliza.url();
    }

    private List<Map<String, Object>> stored(String channel) throws Exception {
        return new ElizaRest(eliza.url()).messages(ElizaIds.channelId(channel), 50);
    }

    private MockEndpoint mock(String name) {
        MockEndpoint mock = getMockEndpoint("mock:" + name);
        mock.setResultWaitTime(30000);
        return mock;
    }

    private void routes(RouteBuilder builder) throws Exception {
        context.addRoutes(builder);
    }

    @Test
    void twoSendsInARowEachSendTheirOwnMessage() throws Exception {
        String first = fresh("chain-a");
        String second = fresh("chain-b");
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chain").to(uri(first))
                        .setProperty("firstId", header(ElizaConstants.CLIENT_MESSAGE_ID))
                        .to(uri(second));
            }
        });

        Exchange done = template.send("direct:chain", e -> e.getMessage().setBody("chained"));

        assertThat(done.getException()).isNull();
        String firstId = done.getProperty("firstId", String.class);
        String secondId = done.getMessage().getHeader(ElizaConstants.CLIENT_MESSAGE_ID, String.class);
        assertThat(firstId).isNotBlank();
        assertThat(secondId).as("the second send's own client message id").isNotBlank().isNotEqualTo(firstId);
        assertThat(stored(first)).singleElement().satisfies(m -> {
            assertThat(m.get("content")).isEqualTo("chained");
            assertThat(m.get("sourceId")).isEqualTo(firstId);
        });
        assertThat(stored(second)).singleElement().satisfies(m -> {
            assertThat(m.get("content")).isEqualTo("chained");
            assertThat(m.get("sourceId")).isEqualTo(secondId);
        });
    }

    @Test
    void aSendThenAParallelSplitToAnotherRoomCompletesEveryExchange() throws Exception {
        String room = fresh("split-a");
        String other = fresh("split-b");
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:split").to(uri(room))
                        .setProperty("parentId", header(ElizaConstants.CLIENT_MESSAGE_ID))
                        .split(body().tokenize(",")).parallelProcessing()
                            .to(uri(other))
                            .to("mock:split")
                        .end();
            }
        });
        MockEndpoint split = mock("split");
        split.expectedMessageCount(3);

        CompletableFuture<Exchange> future = template.asyncSend("direct:split", e -> e.getMessage().setBody("one,two,three"));
        // before issue 16 two of the three split exchanges never completed: a timeout, never a hung test
        Exchange done = future.get(30, TimeUnit.SECONDS);

        assertThat(done.getException()).isNull();
        split.assertIsSatisfied();
        String parentId = done.getProperty("parentId", String.class);
        List<String> ids = split.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getHeader(ElizaConstants.CLIENT_MESSAGE_ID, String.class)).toList();
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates().doesNotContain(parentId);
        assertThat(stored(room)).extracting(m -> m.get("content")).containsExactly("one,two,three");
        List<Map<String, Object>> parts = stored(other);
        assertThat(parts).extracting(m -> m.get("content")).containsExactlyInAnyOrder("one", "two", "three");
        assertThat(parts).extracting(m -> m.get("sourceId")).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aFallbackToAnotherAgentInOnExceptionSendsAFreshRequest() throws Exception {
        String silent = fresh("fallback-silent");
        String answering = fresh("fallback-answering");
        // not an agent of the server: the server stores the question, and nobody answers it
        String nobody = UUID.randomUUID().toString();
        ElizaTestServer.Agent parrot = eliza.server().agents().get(1);
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(ExchangeTimedOutException.class).handled(true)
                        .to(ExchangePattern.InOut, uri(answering) + "&agentId=" + parrot.id());
                from("direct:fallback")
                        .to(ExchangePattern.InOut, uri(silent) + "&agentId=" + nobody + "&replyTimeout=1500");
            }
        });

        Exchange reply = template.request("direct:fallback", e -> e.getMessage().setBody("who answers?"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class))
                .isEqualTo(ElizaTestServer.expectedReply(parrot, "who answers?"));
        Object silentId = stored(silent).get(0).get("sourceId");
        assertThat(stored(answering)).extracting(m -> m.get("content"))
                .containsExactlyInAnyOrder("who answers?", ElizaTestServer.expectedReply(parrot, "who answers?"));
        assertThat(stored(answering)).filteredOn(m -> "who answers?".equals(m.get("content")))
                .extracting(m -> m.get("sourceId")).singleElement().isNotEqualTo(silentId);
    }

    @Test
    void aSendAfterAnAgentsReplyIsNotPostedUnderTheAgentsName() throws Exception {
        ElizaTestServer.Agent agent = eliza.server().agent();
        String asked = fresh("reply-asked");
        String relayed = fresh("reply-relayed");
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(relayed)).to("mock:relayed");
                from("direct:askThenRelay")
                        .to(ExchangePattern.InOut, uri(asked) + "&agentId=" + agent.id())
                        .to(ExchangePattern.InOnly, uri(relayed) + "&senderName=Relay");
            }
        });
        String answer = ElizaTestServer.expectedReply(agent, "relay your answer");
        MockEndpoint received = mock("relayed");
        received.expectedBodiesReceived(answer);

        Exchange done = template.request("direct:askThenRelay", e -> e.getMessage().setBody("relay your answer"));

        assertThat(done.getException()).isNull();
        received.assertIsSatisfied();
        assertThat(received.getReceivedExchanges().get(0).getMessage().getHeader(ElizaConstants.SENDER_NAME))
                .isEqualTo("Relay");
    }

    @Test
    void aConsumedMessageRelayedToAnotherRoomKeepsNeitherItsSenderNameNorItsAttachments() throws Exception {
        String source = fresh("bridge-source");
        String target = fresh("bridge-target");
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(source)).to("mock:source").to(uri(target) + "&senderName=Bridge");
                from(uri(target)).to("mock:target");
            }
        });
        MockEndpoint sourceSide = mock("source");
        sourceSide.expectedBodiesReceived("with a picture");
        MockEndpoint targetSide = mock("target");
        targetSide.expectedBodiesReceived("with a picture");

        Exchange sent = template.send(uri(source) + "&senderName=Alice", e -> {
            e.getMessage().setBody("with a picture");
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_ATTACHMENTS, List.of("https://example.com/a.png"));
        });

        assertThat(sent.getException()).isNull();
        sourceSide.assertIsSatisfied();
        // what the consumer hands the route, and what the bridge must not repeat
        assertThat(sourceSide.getReceivedExchanges().get(0).getMessage().getHeaders())
                .containsEntry(ElizaConstants.SENDER_NAME, "Alice").containsKey(ElizaConstants.ATTACHMENTS);
        targetSide.assertIsSatisfied();
        Map<String, Object> relayed = targetSide.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertThat(relayed).containsEntry(ElizaConstants.SENDER_NAME, "Bridge")
                .doesNotContainKey(ElizaConstants.ATTACHMENTS);
    }

    @Test
    void theOverrideHeadersSteerOneSendAndAreRemovedOnceRead() throws Exception {
        String channel = fresh("override");
        String clientId = UUID.randomUUID().toString();
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(channel) + "&includeOwnMessages=true").to("mock:overridden");
                from("direct:override").to(uri(channel))
                        .process(e -> e.setProperty("headersAfterFirst", Set.copyOf(e.getMessage().getHeaders().keySet())))
                        .setProperty("firstId", header(ElizaConstants.CLIENT_MESSAGE_ID))
                        .to(uri(channel));
            }
        });
        MockEndpoint overridden = mock("overridden");
        overridden.expectedBodiesReceived("steered", "steered");

        Exchange done = template.send("direct:override", e -> {
            e.getMessage().setBody("steered");
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, clientId);
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_SENDER_NAME, "Ops Desk");
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_ATTACHMENTS,
                    List.of("https://example.com/a.png", Map.of("url", "https://example.com/b.pdf", "title", "B")));
        });

        assertThat(done.getException()).isNull();
        assertThat(done.getProperty("firstId")).isEqualTo(clientId);
        assertThat(done.getProperty("headersAfterFirst", Set.class))
                .doesNotContain(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, ElizaConstants.OVERRIDE_SENDER_NAME,
                        ElizaConstants.OVERRIDE_ATTACHMENTS);
        String secondId = done.getMessage().getHeader(ElizaConstants.CLIENT_MESSAGE_ID, String.class);
        assertThat(secondId).isNotBlank().isNotEqualTo(clientId);
        overridden.assertIsSatisfied();
        Map<String, Object> first = overridden.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertThat(first).containsEntry(ElizaConstants.SENDER_NAME, "Ops Desk");
        assertThat(first.get(ElizaConstants.ATTACHMENTS)).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(2);
        // the second send, with the overrides gone: the endpoint's sender name, no attachments
        Map<String, Object> second = overridden.getReceivedExchanges().get(1).getMessage().getHeaders();
        assertThat(second).containsEntry(ElizaConstants.SENDER_NAME, "Camel")
                .doesNotContainKey(ElizaConstants.ATTACHMENTS);
        assertThat(stored(channel)).extracting(m -> m.get("sourceId")).containsExactlyInAnyOrder(clientId, secondId);
    }

    @Test
    void aSecondSendUnderAClientMessageIdStillWaitingForItsAckFailsAtOnce() throws Exception {
        String channel = fresh("same-id");
        String clientId = UUID.randomUUID().toString();
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String uri = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port() + "&ackTimeout=3000";
            assertThat(template.send(uri, e -> e.getMessage().setBody("connected")).getException()).isNull();
            // the server's acks stop coming: the first send waits for its ack until ackTimeout
            proxy.freezeOpenConnections();
            CompletableFuture<Exchange> first = template.asyncSend(uri, e -> {
                e.getMessage().setBody("first");
                e.getMessage().setHeader(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, clientId);
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> pendingAcks() == 1);

            long started = System.nanoTime();
            Exchange second = template.send(uri, e -> {
                e.getMessage().setBody("second");
                e.getMessage().setHeader(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, clientId);
            });

            assertThat(second.getException()).isInstanceOf(ElizaInvalidMessageException.class)
                    .hasMessageContaining(clientId)
                    .hasMessageContaining("a message with that client id is still waiting for its ack");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(first).as("the first still waits for its ack").isNotDone();
            // and the first ends as any send without an ack: at its ackTimeout, not never
            assertThat(first.get(30, TimeUnit.SECONDS).getException()).isInstanceOf(ExchangeTimedOutException.class)
                    .hasMessageContaining(clientId);
        }
    }

    private int pendingAcks() {
        return ((List<?>) ElizaTestSupport.console(context).get("connections")).stream()
                .mapToInt(c -> ((Number) ((Map<?, ?>) c).get("pendingAcks")).intValue()).sum();
    }
}
