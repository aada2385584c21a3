package org.cameleliza.component.eliza.it;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenario at full scale, on the defaults: a consumer route routes 10,050 messages of a room (more than the
 * 10,000 ids its default in-memory idempotent cache holds), is stopped, 5 messages are posted and acked while it is
 * down, and it is started again: it delivers exactly those 5, in order. (Before the watermark, the consumer's "ran
 * before" marker had fallen out of the cache by then, the restart passed for a first start, and none of the 5 was
 * delivered.) {@code ElizaShutdownAndRestartIT} proves the same scaled down, with a cache of 20.
 * <p>
 * A server of its own, with no agent: elizaOS 1.7 allows a client address 1000 REST requests per 15 minutes on all of
 * /api, and each agent of a server spends that budget from loopback on every message of every channel; 10,050
 * messages on the shared server would leave every later test without it. A server without agents costs none.
 * Prints {@code BUSY-ROOM:} lines with the time it took to post and to route the 10,050 messages.
 */
class ElizaBusyRoomRestartIT extends CamelTestSupport {

    /** More than the default idempotent cache holds (duplicateCacheSize, 10,000). */
    private static final int BUSY = 10_050;
    /** Sends waiting for their ack at once. */
    private static final int IN_FLIGHT = 200;

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.agents(0));

    private final String channel = "busy-room-" + UUID.randomUUID();
    /** Another participant: the consumer does not deliver its own entity's messages. */
    private final String posterUri = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();

    @Override
    protected boolean useJmx() {
        return false;
    }

    private static String[] bodies(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    /** Posts InOnly (each send completes on the server's ack), {@link #IN_FLIGHT} at a time; every one must succeed. */
    private void postInFlight(String[] bodies) throws Exception {
        Semaphore window = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Exchange>> sent = new ArrayList<>(bodies.length);
        for (String body : bodies) {
            window.acquire();
            CompletableFuture<Exchange> send = template.asyncSend(posterUri, e -> e.getMessage().setBody(body));
            send.whenComplete((exchange, error) -> window.release());
            sent.add(send);
        }
        for (int i = 0; i < bodies.length; i++) {
            Exchange exchange = sent.get(i).get(120, TimeUnit.SECONDS);
            assertThat(exchange.getException()).as("posting " + bodies[i]).isNull();
            assertThat(exchange.getMessage().getHeader(ElizaConstants.MESSAGE_ID)).as("ack of " + bodies[i])
                    .isNotNull();
        }
    }

    /** Posts one after the other, so the server stores them in this order. */
    private void postInOrder(String[] bodies) {
        for (String body : bodies) {
            Exchange exchange = template.send(posterUri, e -> e.getMessage().setBody(body));
            assertThat(exchange.getException()).as("posting " + body).isNull();
            assertThat(exchange.getMessage().getHeader(ElizaConstants.MESSAGE_ID)).as("ack of " + body).isNotNull();
        }
    }

    @Test
    void aRouteStoppedAfterMoreMessagesThanItsIdempotentCacheHoldsDeliversExactlyWhatCameWhileStopped()
            throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the defaults: no idempotentRepository, no stateRepository
                from("eliza:" + channel + "?url=" + eliza.url()).routeId("busy").to("mock:busy");
            }
        });
        MockEndpoint busy = getMockEndpoint("mock:busy");
        busy.setResultWaitTime(TimeUnit.MINUTES.toMillis(5));
        busy.expectedMessageCount(BUSY);

        String[] room = bodies("busy ", BUSY);
        long start = System.nanoTime();
        postInFlight(room);
        long posted = System.nanoTime();
        busy.assertIsSatisfied();
        long routed = System.nanoTime();
        System.out.printf("BUSY-ROOM: posted %,d messages (%d in flight) in %,d ms; all routed %,d ms after the first"
                          + " was posted%n",
                BUSY, IN_FLIGHT, TimeUnit.NANOSECONDS.toMillis(posted - start),
                TimeUnit.NANOSECONDS.toMillis(routed - start));
        // each of them, once
        Set<String> received = new HashSet<>();
        busy.getReceivedExchanges().forEach(e -> received.add(e.getMessage().getBody(String.class)));
        assertThat(received).hasSize(BUSY).isEqualTo(Set.of(room));

        context.getRouteController().stopRoute("busy");
        String[] whileStopped = bodies("while stopped ", 5);
        postInOrder(whileStopped);
        busy.reset();
        busy.setResultWaitTime(TimeUnit.SECONDS.toMillis(60));
        busy.expectedBodiesReceived((Object[]) whileStopped);
        // anything more (a message of before the stop delivered again) fails it
        busy.setAssertPeriod(3000);
        context.getRouteController().startRoute("busy");
        busy.assertIsSatisfied();
        assertThat(busy.getReceivedExchanges())
                .allSatisfy(e -> assertThat(e.getMessage().getHeader(ElizaConstants.RECOVERED)).isEqualTo(true));
    }
}
