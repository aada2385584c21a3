package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.DefaultElizaHttpClientFactory;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens around a connection's life: stopping while a request waits, two producers of one channel, health check
 * ids across a restart of the route, headers that must not leak from a request into its reply, and an auth token read
 * again on every reconnect.
 */
class ElizaConnectionLifecycleIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @Test
    void stoppingTheProducerFailsARequestThatWaitsForItsReplyAtOnce() throws Exception {
        String channel = "lifecycle-stop-" + UUID.randomUUID();
        // an agent that never answers, and a reply timeout far beyond the test
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").routeId("asker").to("eliza:" + channel + "?url=" + eliza.url() + "&agentId="
                                                       + UUID.randomUUID() + "&replyTimeout=600000");
            }
        });
        CompletableFuture<Exchange> waiting = template.asyncSend("direct:ask", e -> {
            e.setPattern(ExchangePattern.InOut);
            e.getMessage().setBody("will anybody answer?");
        });
        ElizaRest rest = new ElizaRest(eliza.url());
        await().atMost(Duration.ofSeconds(30)).until(() -> !rest.messages(ElizaIds.channelId(channel), 5).isEmpty());

        // the graceful shutdown gives up on the in-flight exchange after 1 s and stops the producer
        context.getShutdownStrategy().setTimeout(1);
        context.getRouteController().stopRoute("asker");

        Exchange failed = waiting.get(30, TimeUnit.SECONDS);
        assertThat(failed.getException()).isInstanceOf(ElizaConnectionException.class)
                .hasMessageContaining("closed before the agent answered");
    }

    @Test
    void twoProducersOfOneChannelKeepTheirOwnHealthCheck() throws Exception {
        ElizaTestSupport.enableProducerHealthChecks(context);
        String uri = "eliza:lifecycle-health-" + UUID.randomUUID() + "?url=" + eliza.url();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:one").routeId("one").to(uri);
                from("direct:two").routeId("two").to(uri);
            }
        });
        assertThat(elizaProducerChecks()).hasSize(2);

        context.getRouteController().stopRoute("one");

        List<HealthCheck.Result> remaining = elizaProducerChecks();
        assertThat(remaining).hasSize(1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> elizaProducerChecks().get(0).getState() == HealthCheck.State.UP);
        assertThat(template.send("direct:two", e -> e.getMessage().setBody("still here")).getException()).isNull();
    }

    private List<HealthCheck.Result> elizaProducerChecks() {
        return HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("producer:eliza-")).toList();
    }

    @Test
    void healthCheckIdsFollowCamelsConventionAndOutliveARestartOfTheRoute() throws Exception {
        ElizaTestSupport.enableProducerHealthChecks(context);
        // every check, not only the first when all are UP
        context.getCamelContextExtension().getContextPlugin(HealthCheckRegistry.class).setExposureLevel("full");
        String channel = "lifecycle-ids-" + UUID.randomUUID();
        String uri = "eliza:" + channel + "?url=" + eliza.url();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sender").routeId("sender").to(uri);
                from("direct:other").routeId("other").to(uri);
                from(uri).routeId("listener").to("mock:ids");
            }
        });
        List<String> producerIds = producerCheckIds(channel);
        assertThat(producerIds).hasSize(2)
                .allSatisfy(id -> assertThat(id).matches("producer:eliza-" + channel + "-\\d+"));
        // the consumer's own check: Camel's consumers repository lists it as consumer:<routeId>, whose result is the
        // one of the Eliza check (its details, check.id included) plus the route's details
        assertThat(consumerCheckId("listener")).isEqualTo("consumer:eliza-listener");
        assertThat(HealthCheckHelper.invokeReadiness(context)).anySatisfy(r -> {
            assertThat(r.getCheck().getId()).isEqualTo("consumer:listener");
            assertThat(r.getDetails()).containsEntry("check.id", "consumer:eliza-listener").containsKey("channel.id")
                    .containsEntry("route.id", "listener");
        }).noneSatisfy(r -> assertThat(r.getCheck().getId()).isEqualTo("consumer:eliza-listener"));

        // Camel creates the route's producer anew; it gets its number back, the other producer keeps its own
        context.getRouteController().stopRoute("sender");
        List<String> whileStopped = producerCheckIds(channel);
        assertThat(whileStopped).hasSize(1).isSubsetOf(producerIds);
        context.getRouteController().startRoute("sender");
        context.getRouteController().stopRoute("listener");
        context.getRouteController().startRoute("listener");

        assertThat(producerCheckIds(channel)).containsExactlyInAnyOrderElementsOf(producerIds);
        assertThat(consumerCheckId("listener")).isEqualTo("consumer:eliza-listener");
        assertThat(template.send("direct:sender", e -> e.getMessage().setBody("after the restart")).getException())
                .isNull();
    }

    private List<String> producerCheckIds(String channel) {
        return HealthCheckHelper.invokeReadiness(context).stream().map(r -> r.getCheck().getId())
                .filter(id -> id.startsWith("producer:eliza-" + channel + "-")).toList();
    }

    private String consumerCheckId(String routeId) {
        HealthCheck check = ((HealthCheckAware) context.getRoute(routeId).getConsumer()).getHealthCheck();
        return check != null ? check.getId() : null;
    }

    @Test
    void overrideHeadersAreConsumedAndAReplyCarriesOnlyTheConversationOfItsRequest() {
        ElizaTestServer.Agent agent = eliza.server().agent();
        String uri = "eliza:lifecycle-headers-" + UUID.randomUUID() + "?url=" + eliza.url() + "&agentId=" + agent.id();

        // one-way: the headers of a send that completes on the ack
        Exchange sent = template.send(uri + "&requestReply=false", e -> {
            e.getMessage().setBody("just a note");
            e.getMessage().setHeader(ElizaConstants.CONVERSATION_KEY, "ticket-7");
            e.getMessage().setHeader(ElizaConstants.OVERRIDE_SENDER_NAME, "Ops");
        });
        assertThat(sent.getException()).isNull();
        assertThat(sent.getMessage().getHeaders()).doesNotContainKeys(ElizaConstants.OVERRIDE_SENDER_NAME);
        // the conversation stays with the exchange, as the memory id of Camel's other AI components
        assertThat(sent.getMessage().getHeader(ElizaConstants.CONVERSATION_KEY)).isEqualTo("ticket-7");
        assertThat(sent.getMessage().getHeader(ElizaConstants.MESSAGE_ID, String.class)).isNotBlank();

        Exchange reply = template.request(uri, e -> {
            e.getMessage().setBody("a question");
            e.getMessage().setHeader(ElizaConstants.CONVERSATION_KEY, "ticket-7");
            // left over from an earlier step of the route: must not pass for a header of the reply
            e.getMessage().setHeader(ElizaConstants.THOUGHT, "stale thought");
            e.getMessage().setHeader(ElizaConstants.RECOVERED, true);
            e.getMessage().setHeader("BusinessHeader", "kept");
        });
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent, "a question"));
        assertThat(reply.getMessage().getHeaders()).doesNotContainKeys(ElizaConstants.RECOVERED);
        assertThat(reply.getMessage().getHeader(ElizaConstants.CONVERSATION_KEY)).isEqualTo("ticket-7");
        assertThat(reply.getMessage().getHeader(ElizaConstants.THOUGHT)).isEqualTo("echoing the newest message");
        assertThat(reply.getMessage().getHeader(ElizaConstants.IN_REPLY_TO, String.class)).isNotBlank();
        assertThat(reply.getMessage().getHeader("BusinessHeader")).isEqualTo("kept");
    }

    @Test
    void anAuthTokenSupplierIsAskedAgainForEveryReconnectNeverOnSocketIosThread() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        List<String> askedOn = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Supplier<String> tokens = () -> {
            // user code, which may block (a vault): Socket.IO's one thread carries every connection of the JVM
            askedOn.add(Thread.currentThread().getName());
            return "token-" + issued.incrementAndGet();
        };
        context.getRegistry().bind("tokens", tokens);
        String channel = "lifecycle-token-" + UUID.randomUUID();
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String uri = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port()
                         + "&authTokenSupplier=#tokens&reconnectInitialDelay=100&reconnectMaxDelay=200";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).to("mock:token");
                }
            });
            ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);
            int connectionsBeforeCut = proxy.connections();
            int firstToken = tokenOf(proxy.firstRequests().get(0));

            proxy.closeOpenConnections();
            await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.getDisconnects() >= 1
                    && "CONNECTED".equals(endpoint.getConnectionState()) && endpoint.isChannelJoined());

            // the handshake of the reconnect carries a token asked for after the cut (REST calls send the token as
            // last read, and may have opened connections of their own meanwhile)
            List<String> afterCut = proxy.firstRequests().subList(connectionsBeforeCut, proxy.firstRequests().size())
                    .stream().filter(r -> r.startsWith("GET /socket.io/")).toList();
            assertThat(afterCut).isNotEmpty().allSatisfy(r -> assertThat(tokenOf(r)).isGreaterThan(firstToken));
        }
        assertThat(askedOn).hasSizeGreaterThanOrEqualTo(2).noneMatch("EventThread"::equals);
        Map<?, ?> console = ElizaTestSupport.console(context);
        assertThat(console.toString()).doesNotContain("token-");
    }

    /** The number of the token a request's Authorization header carries. */
    private static int tokenOf(String request) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)authorization: bearer token-(\\d+)").matcher(request);
        assertThat(m.find()).as("an Authorization header in " + request.lines().findFirst().orElse("")).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void oneHttpClientFromTheUsersFactoryCarriesSocketIoAndRest() throws Exception {
        List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        org.cameleliza.component.eliza.ElizaHttpClientFactory factory = (settings, camel) -> DefaultElizaHttpClientFactory
                .newBuilder(settings, camel).addInterceptor(chain -> {
                    seen.add(chain.request().url().encodedPath());
                    return chain.proceed(chain.request().newBuilder().header("X-Through-Factory", "yes").build());
                }).build();
        // a bean of the type is picked up by the component (autowired), as camel-kafka does with its client factory
        context.getRegistry().bind("myHttpClients", factory);
        String channel = "lifecycle-factory-" + UUID.randomUUID();
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String uri = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).to("mock:factory");
                }
            });
            assertThat(template.send(uri + "&entityId=" + UUID.randomUUID(), e -> e.getMessage().setBody("hi"))
                    .getException()).isNull();

            assertThat(seen).anySatisfy(path -> assertThat(path).startsWith("/socket.io"))
                    .anySatisfy(path -> assertThat(path).startsWith("/api/messaging"));
            assertThat(proxy.firstRequests()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.toLowerCase()).contains("x-through-factory: yes"));
        }
    }
}
