package org.cameleliza.component.eliza.it;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is lost at shutdown or restart: a graceful stop routes what the consumer already queued, and a consumer that
 * starts again delivers, exactly once, what was posted after the last message it routed (its watermark, in its state
 * repository), however many messages its idempotent repository has forgotten since.
 */
class ElizaShutdownAndRestartIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private final String channel = "shutdown-" + UUID.randomUUID();
    // the consumer's entity is fixed, as it is for an application that restarts
    private final String consumerEntity = UUID.randomUUID().toString();

    private String consumerUri(String extra) {
        return "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + consumerEntity + extra;
    }

    /** Posts as another entity, so the consumer does not filter the messages as its own. */
    private void post(CamelContext into, String... bodies) {
        String uri = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        for (String body : bodies) {
            Exchange sent = into.createProducerTemplate().send(uri, e -> e.getMessage().setBody(body));
            assertThat(sent.getException()).as("posting " + body).isNull();
        }
    }

    /** Posts in parallel (one entity, so the server keeps their order), faster than the route takes them. */
    private void postAtOnce(String... bodies) throws Exception {
        String uri = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        List<java.util.concurrent.CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (String body : bodies) {
            sent.add(template.asyncSend(uri, e -> e.getMessage().setBody(body)));
        }
        for (java.util.concurrent.CompletableFuture<Exchange> exchange : sent) {
            assertThat(exchange.get(60, java.util.concurrent.TimeUnit.SECONDS).getException()).isNull();
        }
    }

    private static String[] bodies(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    @Test
    void gracefulShutdownRoutesEveryQueuedMessage() throws Exception {
        List<String> routed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> broadcast = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri("")).routeId("slow").process(e -> taken.incrementAndGet()).process(e -> Thread.sleep(300))
                        .process(e -> routed.add(e.getMessage().getBody(String.class)));
                // another entity listening to the same room: the order the server broadcast the messages in
                from("eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID()).routeId("witness")
                        .process(e -> broadcast.add(e.getMessage().getBody(String.class)));
            }
        });
        String[] posted = bodies("queued ", 60);
        postAtOnce(posted);
        String channelId = ElizaIds.channelId(channel);
        // every message has reached the consumer: taken by the route or waiting in its queue
        await().atMost(Duration.ofSeconds(60))
                .until(() -> taken.get() + ElizaTestSupport.queueDepth(context, channelId) == posted.length);
        assertThat(ElizaTestSupport.queueDepth(context, channelId)).as("messages still queued at shutdown").isPositive();
        await().atMost(Duration.ofSeconds(60)).until(() -> broadcast.size() == posted.length);

        context.getShutdownStrategy().setTimeout(120);
        context.stop();

        // all of them, in the order the server sent them
        assertThat(routed).containsExactlyElementsOf(broadcast).containsExactlyInAnyOrder(posted);
    }

    @Test
    void aRestartedConsumerDeliversWhatWasPostedWhileItWasStoppedExactlyOnce() throws Exception {
        File store = Files.createTempFile("eliza-delivered-", ".dat").toFile();
        store.deleteOnExit();
        File places = Files.createTempFile("eliza-place-", ".dat").toFile();
        places.deleteOnExit();
        context.getRegistry().bind("delivered", FileIdempotentRepository.fileIdempotentRepository(store, 1000));
        context.getRegistry().bind("place", FileStateRepository.fileStateRepository(places));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri("&idempotentRepository=#delivered&stateRepository=#place")).routeId("listener")
                        .to("mock:listener");
            }
        });
        MockEndpoint listener = getMockEndpoint("mock:listener");
        listener.setResultWaitTime(30000);
        listener.expectedBodiesReceived("first 0", "first 1");
        post(context, "first 0", "first 1");
        listener.assertIsSatisfied();
        for (Exchange received : listener.getReceivedExchanges()) {
            // the server's message id: idempotentConsumer(messageId()) works downstream
            assertThat(received.getMessage().getMessageId())
                    .isEqualTo(received.getMessage().getHeader(ElizaConstants.MESSAGE_ID));
        }

        // the route restarts: what was posted meanwhile is delivered once, nothing of before again
        context.getRouteController().stopRoute("listener");
        post(context, bodies("while stopped ", 5));
        listener.reset();
        listener.expectedBodiesReceived((Object[]) bodies("while stopped ", 5));
        listener.setAssertPeriod(3000);
        context.getRouteController().startRoute("listener");
        listener.assertIsSatisfied();
        assertThat(listener.getReceivedExchanges())
                .allSatisfy(e -> assertThat(e.getMessage().getHeader(ElizaConstants.RECOVERED)).isEqualTo(true));

        // the application restarts: a new CamelContext, new repository instances on the same files
        context.getRouteController().stopRoute("listener");
        post(context, "while down 0", "while down 1");
        context.stop();
        try (CamelContext restarted = new DefaultCamelContext()) {
            restarted.getRegistry().bind("delivered", FileIdempotentRepository.fileIdempotentRepository(store, 1000));
            restarted.getRegistry().bind("place", FileStateRepository.fileStateRepository(places));
            restarted.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // the same route id: the place is kept per route
                    from(consumerUri("&idempotentRepository=#delivered&stateRepository=#place")).routeId("listener")
                            .to("mock:restarted");
                }
            });
            restarted.start();
            MockEndpoint afterRestart = restarted.getEndpoint("mock:restarted", MockEndpoint.class);
            afterRestart.setResultWaitTime(30000);
            afterRestart.expectedBodiesReceived("while down 0", "while down 1");
            afterRestart.setAssertPeriod(3000);
            afterRestart.assertIsSatisfied();
        }
    }

    @Test
    void aFirstStartDeliversNothingOfTheChannelsHistory() throws Exception {
        post(context, "history 0", "history 1");
        File store = Files.createTempFile("eliza-first-", ".dat").toFile();
        store.deleteOnExit();
        context.getRegistry().bind("fresh", FileIdempotentRepository.fileIdempotentRepository(store, 1000));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri("&idempotentRepository=#fresh")).to("mock:fresh");
            }
        });
        MockEndpoint fresh = getMockEndpoint("mock:fresh");
        fresh.setResultWaitTime(30000);
        fresh.expectedBodiesReceived("live 0");
        fresh.setAssertPeriod(3000);
        post(context, "live 0");
        fresh.assertIsSatisfied();
    }

    /**
     * The idempotent repository is an LRU cache: once it has forgotten everything of before the stop, a restart still
     * knows where it stopped. (Before the watermark, the "ran before" marker fell out of the cache and the restart
     * delivered none of what was posted while it was stopped: on the defaults, after 10,000 messages.)
     */
    @Test
    void aRestartAfterTheIdempotentCacheForgotEverythingDeliversExactlyWhatCameWhileStopped() throws Exception {
        MemoryIdempotentRepository small = (MemoryIdempotentRepository) MemoryIdempotentRepository
                .memoryIdempotentRepository(20);
        context.getRegistry().bind("small", small);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri("&idempotentRepository=#small")).routeId("busy").to("mock:busy");
            }
        });
        MockEndpoint busy = getMockEndpoint("mock:busy");
        busy.setResultWaitTime(60000);
        busy.expectedMessageCount(30);
        postAtOnce(bodies("busy ", 30));
        busy.assertIsSatisfied();

        context.getRouteController().stopRoute("busy");
        post(context, bodies("while stopped ", 5));
        busy.reset();
        busy.expectedBodiesReceived((Object[]) bodies("while stopped ", 5));
        busy.setAssertPeriod(3000);
        context.getRouteController().startRoute("busy");
        busy.assertIsSatisfied();
        // the user's repository: still started and holding its ids (a MemoryIdempotentRepository clears itself on stop)
        assertThat(small.isStarted()).isTrue();
        assertThat(small.getCacheSize()).isEqualTo(20);
    }

    /** The watermark of a first start is written once it joined: a first start that failed is still a first start. */
    @Test
    void aFirstStartThatFailedIsAFirstStartAgain() throws Exception {
        post(context, "history 0", "history 1");
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            proxy.setRefusing(true);
            String uri = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port() + "&entityId=" + consumerEntity
                         + "&testConnectionOnStartup=true&connectTimeout=1500";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("late").autoStartup(false).to("mock:late");
                }
            });
            Throwable failed = org.assertj.core.api.Assertions.catchThrowable(
                    () -> context.getRouteController().startRoute("late"));
            assertThat(failed).isNotNull();

            proxy.setRefusing(false);
            MockEndpoint late = getMockEndpoint("mock:late");
            late.setResultWaitTime(30000);
            late.expectedBodiesReceived("live 0");
            late.setAssertPeriod(3000);
            context.getRouteController().startRoute("late");
            post(context, "live 0");
            late.assertIsSatisfied();
        }
    }

    /**
     * Two routes consuming one channel each get every message, also when they share one idempotent repository and
     * one state repository (before, they split the messages between them), and each resumes from its own place.
     */
    @Test
    void twoRoutesOfOneChannelSharingRepositoriesEachGetEverything() throws Exception {
        context.getRegistry().bind("shared", MemoryIdempotentRepository.memoryIdempotentRepository(100));
        context.getRegistry().bind("places", new org.apache.camel.support.processor.state.MemoryStateRepository());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri("&idempotentRepository=#shared&stateRepository=#places")).routeId("one")
                        .to("mock:one");
                from(consumerUri("&idempotentRepository=#shared&stateRepository=#places&bodyType=text"))
                        .routeId("two").to("mock:two");
            }
        });
        MockEndpoint one = getMockEndpoint("mock:one");
        MockEndpoint two = getMockEndpoint("mock:two");
        for (MockEndpoint mock : List.of(one, two)) {
            mock.setResultWaitTime(30000);
            mock.expectedBodiesReceived("both 0", "both 1", "both 2");
            mock.setAssertPeriod(2000);
        }
        post(context, "both 0", "both 1", "both 2");
        MockEndpoint.assertIsSatisfied(one, two);

        context.getRouteController().stopRoute("two");
        one.reset();
        two.reset();
        one.expectedBodiesReceived("while two stopped");
        two.expectedBodiesReceived("while two stopped");
        post(context, "while two stopped");
        context.getRouteController().startRoute("two");
        MockEndpoint.assertIsSatisfied(one, two);
    }

    @Test
    void aRestartAfterMoreThanGapRecoveryMaxMessagesDeliversTheNewestAndSaysWhatIsMissing() throws Exception {
        List<Exception> reported = java.util.Collections.synchronizedList(new ArrayList<>());
        context.getRegistry().bind("recording", (org.apache.camel.spi.ExceptionHandler) new org.apache.camel.spi.ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                reported.add((Exception) exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                reported.add((Exception) exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                reported.add((Exception) exception);
            }
        });
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri("&gapRecoveryMaxMessages=3&exceptionHandler=#recording")).routeId("bounded")
                        .to("mock:bounded");
            }
        });
        MockEndpoint bounded = getMockEndpoint("mock:bounded");
        bounded.setResultWaitTime(30000);
        bounded.expectedBodiesReceived("before");
        post(context, "before");
        bounded.assertIsSatisfied();

        context.getRouteController().stopRoute("bounded");
        post(context, bodies("missed ", 5));
        bounded.reset();
        bounded.expectedBodiesReceived("missed 2", "missed 3", "missed 4");
        bounded.setAssertPeriod(2000);
        context.getRouteController().startRoute("bounded");

        bounded.assertIsSatisfied();
        assertThat(reported).anySatisfy(e -> assertThat(e).hasMessageContaining("More than gapRecoveryMaxMessages (3)")
                .hasMessageContaining("the older ones are missing"));
    }

    @Test
    void aForcedStopLeavesTheUnroutedMessagesForTheNextStart() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> routed = java.util.Collections.synchronizedList(new ArrayList<>());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // stuck on its first message until the test releases it
                from(consumerUri("")).routeId("stuck").process(e -> release.await(60, java.util.concurrent.TimeUnit.SECONDS))
                        .process(e -> routed.add(e.getMessage().getBody(String.class)));
            }
        });
        post(context, bodies("held ", 4));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ElizaTestSupport.queueDepth(context, ElizaIds.channelId(channel)) == 3);

        // the graceful shutdown gives up after 1 s: the three queued messages are not routed now
        context.getShutdownStrategy().setTimeout(1);
        context.getRouteController().stopRoute("stuck");
        release.countDown();
        context.getRouteController().startRoute("stuck");

        await().atMost(Duration.ofSeconds(30)).until(() -> routed.containsAll(List.of("held 1", "held 2", "held 3")));
        Thread.sleep(2000);
        // each exactly once; the one in flight at the stop may come twice (at least once across a forced stop)
        for (String body : List.of("held 1", "held 2", "held 3")) {
            assertThat(routed.stream().filter(body::equals)).as(body).hasSize(1);
        }
        assertThat(routed).contains("held 0");
    }
}
