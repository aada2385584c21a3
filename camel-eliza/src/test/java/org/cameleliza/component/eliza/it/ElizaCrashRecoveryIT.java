package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Eliza server is killed (SIGKILL) in the middle of a 500-message producer run and started again on the same port
 * and data directory. Every message must be acknowledged or failed back to the route; with Camel's redelivery all 500
 * end up stored on the server, and a consumer of the channel receives each of them exactly once (live plus gap
 * recovery).
 */
class ElizaCrashRecoveryIT extends CamelTestSupport {

    private static final String KEY = "crash-key-" + UUID.randomUUID();
    private static final int MESSAGES = 500;

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.apiKey(KEY));

    private final String channel = "crash-" + UUID.randomUUID();
    private final String producerEntity = UUID.randomUUID().toString();
    private final AtomicInteger failedAttempts = new AtomicInteger();

    @Override
    protected boolean useJmx() {
        return false;
    }

    private String options() {
        return "url=" + eliza.url() + "&apiKey=" + KEY;
    }

    @Test
    void killNineDuringA500MessageRunLosesAndDuplicatesNothing() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            run(proxy);
        }
    }

    private void run(TcpProxy proxy) throws Exception {
        context.getCamelContextExtension().getContextPlugin(org.apache.camel.health.HealthCheckRegistry.class)
                .setEnabled(true);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().maximumRedeliveries(240).redeliveryDelay(500)
                        .onRedelivery(e -> failedAttempts.incrementAndGet()));
                // the consumer reaches the server through a proxy, so the test can keep it away after the restart
                // while the producer goes on: what is posted meanwhile only gap recovery finds
                from("eliza:" + channel + "?url=http://127.0.0.1:" + proxy.port() + "&apiKey=" + KEY
                     + "&reconnectInitialDelay=200&reconnectMaxDelay=1000")
                        .routeId("listener").to("mock:received");
                from("direct:send").routeId("sender")
                        .to("eliza:" + channel + "?" + options() + "&entityId=" + producerEntity
                            + "&connectTimeout=3000&ackTimeout=5000&reconnectInitialDelay=200&reconnectMaxDelay=1000");
            }
        });
        MockEndpoint received = getMockEndpoint("mock:received");
        received.setResultWaitTime(180_000);
        received.expectedMinimumMessageCount(MESSAGES);

        ExecutorService senders = Executors.newFixedThreadPool(4);
        AtomicInteger completed = new AtomicInteger();
        List<Future<Exchange>> results = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            String body = "message " + i;
            results.add(senders.submit(() -> {
                Exchange done = template.send("direct:send", e -> e.getMessage().setBody(body));
                completed.incrementAndGet();
                return done;
            }));
        }

        await().atMost(Duration.ofMinutes(2)).until(() -> completed.get() >= 100);
        proxy.setRefusing(true);
        eliza.server().kill();
        await().atMost(Duration.ofMinutes(1)).until(() -> consumerReadiness() == HealthCheck.State.DOWN);
        Map<String, Object> downDetails = consumerReadinessDetails();
        int completedBeforeRestart = completed.get();
        eliza.server().start();
        // the producer is back and goes on while the consumer is still kept away
        await().atMost(Duration.ofMinutes(2)).until(() -> completed.get() >= Math.min(MESSAGES, completedBeforeRestart + 100));
        proxy.setRefusing(false);
        await().atMost(Duration.ofMinutes(2)).until(() -> consumerReadiness() == HealthCheck.State.UP);

        int succeeded = 0;
        for (Future<Exchange> result : results) {
            Exchange done = result.get(5, TimeUnit.MINUTES);
            assertThat(done.getException()).as("exchange %s", done.getMessage().getBody()).isNull();
            succeeded++;
        }
        senders.shutdown();
        received.assertIsSatisfied();

        List<Map<String, Object>> stored = new ElizaRest(eliza.url()).allMessages(ElizaIds.channelId(channel));
        Map<Object, Long> storedCounts = stored.stream()
                .filter(m -> producerEntity.equals(m.get("authorId")))
                .collect(Collectors.groupingBy(m -> m.get("content"), Collectors.counting()));
        long storedDuplicates = storedCounts.values().stream().mapToLong(c -> c - 1).sum();
        Map<Object, Long> receivedCounts = received.getReceivedExchanges().stream()
                .collect(Collectors.groupingBy(e -> e.getMessage().getBody(), Collectors.counting()));
        long receivedDuplicates = receivedCounts.values().stream().mapToLong(c -> c - 1).sum();
        long recovered = received.getReceivedExchanges().stream()
                .filter(e -> Boolean.TRUE.equals(e.getMessage().getHeader(ElizaConstants.RECOVERED))).count();

        stored.stream().filter(m -> storedCounts.getOrDefault(m.get("content"), 0L) > 1)
                .forEach(m -> System.out.println("CRASH-TEST duplicate: " + m.get("content") + " id=" + m.get("id")
                                                 + " sourceId=" + m.get("sourceId") + " created_at=" + m.get("created_at")));
        System.out.printf("CRASH-TEST: sent=%d succeeded=%d redelivery-attempts=%d stored-distinct=%d"
                          + " stored-duplicates=%d consumer-received=%d consumer-distinct=%d consumer-duplicates=%d"
                          + " recovered-over-rest=%d%n",
                MESSAGES, succeeded, failedAttempts.get(), storedCounts.size(), storedDuplicates,
                received.getReceivedCounter(), receivedCounts.size(), receivedDuplicates, recovered);

        assertThat(succeeded).isEqualTo(MESSAGES);
        assertThat(failedAttempts.get()).as("the kill failed some sends back to the route").isPositive();
        assertThat(storedCounts).hasSize(MESSAGES);
        assertThat(storedDuplicates).as("messages stored twice").isZero();
        assertThat(receivedCounts).hasSize(MESSAGES);
        assertThat(receivedDuplicates).as("messages delivered twice").isZero();
        // at least the 100 posted after the restart while the consumer was kept away (some of them may have failed
        // their first attempt and completed later, hence the margin)
        assertThat(recovered).as("messages the consumer got through gap recovery").isGreaterThanOrEqualTo(50);
        assertThat(downDetails.toString()).doesNotContain(KEY).contains("connection.state");
    }

    private HealthCheck.State consumerReadiness() {
        return consumerResult().map(HealthCheck.Result::getState).orElse(HealthCheck.State.UNKNOWN);
    }

    private Map<String, Object> consumerReadinessDetails() {
        return consumerResult().map(r -> new HashMap<>(r.getDetails())).orElseGet(HashMap::new);
    }

    private java.util.Optional<HealthCheck.Result> consumerResult() {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        // Camel wraps the consumer's check in its consumers repository as "consumer:<routeId>"
        return results.stream().filter(r -> r.getCheck().getId().equals("consumer:listener")).findFirst();
    }
}
