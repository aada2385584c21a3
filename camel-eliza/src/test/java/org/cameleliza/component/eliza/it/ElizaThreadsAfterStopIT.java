package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is left running once the CamelContext stopped: no thread of the component, of Socket.IO, or of the OkHttp
 * clients the component created, and no non-daemon thread that was not there before it started; also when the server
 * stopped answering just before. A JVM whose application stopped exits at once, instead of waiting for threads nobody
 * uses any more (OkHttp's dispatcher threads, for one, idle a minute before they end, and they are not daemons).
 */
class ElizaThreadsAfterStopIT {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaThreadsAfterStopIT.class);

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    /**
     * What the names of the threads the component starts or causes contain. Camel names a pool's threads
     * "Camel (name) thread #n - pool": the component's pools (connections' timers, workers, request deadlines,
     * consumers) and its last-resort completion thread; Socket.IO's event thread and engine.io's heartbeat scheduler;
     * the java.util.Timer threads of Socket.IO's connect timeout and reconnect delay ("Timer-n"); OkHttp's dispatcher,
     * its calls (a thread running one is named "OkHttp " and the URL), and its WebSocket writers.
     */
    private static final List<String> OURS = List.of("ElizaConnection[", "ElizaWorker", "ElizaTimer", "ElizaConsumer[",
            "ElizaShutdown", "EventThread", "engine.io-client", "Timer-", "OkHttp");

    /**
     * Daemons of the whole JVM that no client owns and nobody can stop: Okio's timeout watchdog (one per JVM, it ends
     * after a minute with no timeout to watch) and the cleaner of OkHttp's connection pools (a static executor every
     * pool of the JVM shares, its thread idles a minute once no pool holds a connection). Daemons do not keep a JVM up.
     */
    private static final List<String> JVM_DAEMONS = List.of("Okio Watchdog", "OkHttp ConnectionPool");

    @Test
    void noThreadOfTheComponentOrItsClientsOutlivesTheContext() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ElizaTestServer.Agent agent = eliza.server().agent();
        String channel = "threads-" + UUID.randomUUID();
        String consumer = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        // another entity, so that the consumer does not filter the message as its own: a connection of its own
        String oneWay = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        String request = "eliza:threads-rr-" + UUID.randomUUID() + "?url=" + eliza.url() + "&agentId=" + agent.id();

        CamelContext context = new DefaultCamelContext();
        try {
            ProducerTemplate template = startListening(context, consumer, oneWay);
            Exchange reply = template.request(request, e -> e.getMessage().setBody("still there?"));
            assertThat(reply.getException()).isNull();
            assertThat(reply.getMessage().getBody(String.class))
                    .isEqualTo(ElizaTestServer.expectedReply(agent, "still there?"));
            logRunning(before);
        } finally {
            context.stop();
        }

        assertNothingLeftSince(before);
    }

    /**
     * The server stops answering just before the stop (a network cut, a frozen server): the WebSocket's close is never
     * answered, which OkHttp would wait a minute for, with a reader and a writer thread that are not daemons.
     */
    @Test
    void noThreadOutlivesTheContextWhenTheServerNoLongerAnswers() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        String channel = "threads-frozen-" + UUID.randomUUID();
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String viaProxy = "eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port() + "&entityId=";
            CamelContext context = new DefaultCamelContext();
            try {
                startListening(context, viaProxy + UUID.randomUUID(), viaProxy + UUID.randomUUID());
                logRunning(before);
                proxy.freezeOpenConnections();
            } finally {
                context.stop();
            }

            assertNothingLeftSince(before);
        }
    }

    /** Starts a consumer route on {@code consumer}, and returns once it received a message sent to {@code oneWay}. */
    private static ProducerTemplate startListening(CamelContext context, String consumer, String oneWay)
            throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumer).routeId("listener").to("mock:listener");
            }
        });
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        MockEndpoint listener = context.getEndpoint("mock:listener", MockEndpoint.class);
        listener.setResultWaitTime(30000);
        listener.expectedBodiesReceived("one way");
        Exchange sent = template.send(oneWay, e -> e.getMessage().setBody("one way"));
        assertThat(sent.getException()).isNull();
        listener.assertIsSatisfied();
        return template;
    }

    private static void logRunning(Set<Thread> before) {
        List<String> running = describe(ours(before));
        LOG.info("Threads of the component and its clients while the context runs: {}", running);
        assertThat(running).as("the threads this test looks for, while the context runs").isNotEmpty();
    }

    private static void assertNothingLeftSince(Set<Thread> before) {
        // polled on this thread: an Awaitility thread would be a new non-daemon thread itself
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().untilAsserted(() -> {
            assertThat(describe(ours(before))).as("threads of the component or its clients after the context stopped")
                    .isEmpty();
            assertThat(describe(Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !t.isDaemon() && !before.contains(t)).collect(Collectors.toSet())))
                    .as("non-daemon threads started since the context started").isEmpty();
        });
        LOG.info("Left after the stop, JVM daemons of OkHttp: {}", describe(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> JVM_DAEMONS.stream().anyMatch(t.getName()::startsWith)).collect(Collectors.toSet())));
    }

    /** The live threads started since {@code before} whose names are the component's or its clients'. */
    private static Set<Thread> ours(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t))
                .filter(t -> OURS.stream().anyMatch(t.getName()::contains))
                .filter(t -> !(t.isDaemon() && JVM_DAEMONS.stream().anyMatch(t.getName()::startsWith)))
                .collect(Collectors.toSet());
    }

    private static List<String> describe(Set<Thread> threads) {
        return threads.stream().map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : "")).sorted().toList();
    }
}
