package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a reconnect every channel is joined again over Socket.IO at once, but the REST reads of gap recovery are paced
 * (elizaOS can tell what a channel missed only per channel, from a budget of 1000 requests per 15 minutes): the most
 * recently active channel is read first, a channel where a message arrives is read at once (the missed messages before
 * the new one), the others at gapRecoveryReadsPerMinute. Three channels on one connection, through a proxy the test
 * cuts, with a burst of one read and a pace of one read per 15 s. Whether the burst's read is still there at the
 * reconnect or comes with the pace, it goes to the channel active last: the reads of a reconnect are ordered before the
 * first goes.
 */
class ElizaPacedGapRecoveryIT extends CamelTestSupport {

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    private final String run = UUID.randomUUID().toString();
    private final String listener = UUID.randomUUID().toString();
    private final String poster = UUID.randomUUID().toString();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        ElizaComponent component = new ElizaComponent();
        // one read at once, then one every 15 s
        component.setGapRecoveryBurst(1);
        component.setGapRecoveryReadsPerMinute(4);
        context.addComponent("eliza", component);
        return context;
    }

    private String channel(String name) {
        return "paced-" + name + "-" + run;
    }

    /** Posts as another entity of the room, straight to the server (not through the proxy). */
    private void post(String name, String text) {
        String uri = "eliza:" + channel(name) + "?url=" + eliza.url() + "&entityId=" + poster;
        assertThat(template.send(uri, e -> e.getMessage().setBody(text)).getException()).isNull();
    }

    /** The listening connection, as the dev console shows it. */
    private Map<?, ?> listening() {
        return ((List<?>) ElizaTestSupport.console(context).get("connections")).stream().map(c -> (Map<?, ?>) c)
                .filter(c -> listener.equals(c.get("entityId"))).findFirst().orElseThrow();
    }

    private long count(String what) {
        return ((Number) listening().get(what)).longValue();
    }

    @Test
    void theMostRecentlyActiveChannelIsReadFirstAnActiveOneAtOnceAndTheRestAtThePace() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (String name : List.of("a", "b", "c")) {
                        from("eliza:" + channel(name) + "?url=http://127.0.0.1:" + proxy.port() + "&entityId=" + listener
                             + "&reconnectInitialDelay=200&reconnectMaxDelay=1000")
                                .routeId(name).to("mock:" + name);
                    }
                }
            });
            MockEndpoint a = getMockEndpoint("mock:a");
            MockEndpoint b = getMockEndpoint("mock:b");
            MockEndpoint c = getMockEndpoint("mock:c");
            for (MockEndpoint mock : List.of(a, b, c)) {
                mock.setResultWaitTime(60_000);
            }
            a.expectedBodiesReceived("before a", "missed a");
            b.expectedBodiesReceived("before b", "missed b", "now b");
            c.expectedBodiesReceived("before c", "missed c");

            // a is the channel active last
            post("c", "before c");
            post("b", "before b");
            post("a", "before a");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> a.getReceivedCounter() == 1 && b.getReceivedCounter() == 1 && c.getReceivedCounter() == 1);
            long readsBefore = count("gapReadsStarted");
            long activeBefore = count("gapReadsStartedAtOnce");

            proxy.setRefusing(true);
            proxy.closeOpenConnections();
            await().atMost(Duration.ofSeconds(30)).until(() -> !"CONNECTED".equals(listening().get("state")));
            post("a", "missed a");
            post("b", "missed b");
            post("c", "missed c");
            proxy.setRefusing(false);

            // the burst's one read goes to the channel active last
            await().atMost(Duration.ofSeconds(60)).until(() -> a.getReceivedCounter() == 2);
            assertThat(b.getReceivedCounter()).as("b waits for its turn").isEqualTo(1);
            // a message in b: b is read now, and what it missed comes first
            post("b", "now b");
            b.assertIsSatisfied();
            assertThat(count("gapReadsWaiting")).as("c still waits for the pace").isEqualTo(1);
            assertThat(c.getReceivedCounter()).isEqualTo(1);

            // c's turn comes at the pace, without a message of its own
            c.assertIsSatisfied();
            a.assertIsSatisfied();
            assertThat(count("gapReadsStarted") - readsBefore).as("one read per channel").isEqualTo(3);
            assertThat(count("gapReadsStartedAtOnce") - activeBefore).isEqualTo(1);
            assertThat(count("gapReadsWaiting")).isZero();
        }
    }
}
