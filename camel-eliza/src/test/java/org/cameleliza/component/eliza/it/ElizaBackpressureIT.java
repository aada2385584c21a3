package org.cameleliza.component.eliza.it;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
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
 * A consumer's queue is bounded: a flood faster than the route fills it, the consumer skips what comes next and reads
 * it from the server once the route has caught up. Every message arrives, once, in order.
 */
class ElizaBackpressureIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @Test
    void aFloodLargerThanTheQueueIsDeliveredCompletelyInOrder() throws Exception {
        String channel = "flood-" + UUID.randomUUID();
        // the route holds its first message until everything is posted: the queue of 4 must overflow
        CountDownLatch posted = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:" + channel + "?url=" + eliza.url() + "&queueSize=4")
                        .process(e -> posted.await(60, TimeUnit.SECONDS)).to("mock:flood");
            }
        });
        String[] bodies = IntStream.range(0, 40).mapToObj(i -> "flood " + i).toArray(String[]::new);
        MockEndpoint flood = getMockEndpoint("mock:flood");
        flood.setResultWaitTime(60000);
        flood.expectedBodiesReceived((Object[]) bodies);
        flood.setAssertPeriod(3000);

        String sender = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        for (String body : bodies) {
            assertThat(template.send(sender, e -> e.getMessage().setBody(body)).getException()).isNull();
        }
        posted.countDown();

        flood.assertIsSatisfied();
        List<Exchange> received = flood.getReceivedExchanges();
        assertThat(received.stream().map(e -> e.getMessage().getHeader(ElizaConstants.MESSAGE_ID)).distinct())
                .hasSize(bodies.length);
        assertThat(received.stream().map(e -> e.getMessage().getHeader(ElizaConstants.RECOVERED))
                .filter(Objects::nonNull)).as("messages read from the server after the overflow").isNotEmpty();
        Map<?, ?> console = ElizaTestSupport.console(context);
        assertThat(console.get("consumers").toString()).contains("queueDepth=0");
    }
}
