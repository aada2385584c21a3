package org.cameleliza.component.eliza.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Route code never runs on a thread of Socket.IO or of a connection, not even when the component's worker threads are
 * all busy: a route that did would stall every connection's events (and Socket.IO's heartbeats, on the one event thread
 * all connections of the JVM share).
 */
class ElizaThreadingIT extends CamelTestSupport {

    // a server of its own: thousands of messages would use up the shared server's REST rate limit, which its agents
    // spend on every message (1000 requests per 15 minutes per client address, loopback included)
    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> {
    });

    @Test
    void routesContinueOnWorkerThreadsEvenWhenTheyAreAllBusy() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        String uri = "eliza:threads-" + UUID.randomUUID() + "?url=" + eliza.url() + "&ackTimeout=120000";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to(uri).process(e -> {
                    threads.add(Thread.currentThread().getName());
                    // keeps the worker busy, so the completions pile up behind it
                    Thread.sleep(100);
                });
            }
        });
        // more completions at once than a default Camel pool holds (20 threads + 1000 queued)
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String body = "message " + i;
            sent.add(template.asyncSend("direct:send", e -> e.getMessage().setBody(body)));
        }
        for (CompletableFuture<Exchange> exchange : sent) {
            assertThat(exchange.get(120, TimeUnit.SECONDS).getException()).isNull();
        }

        assertThat(threads).isNotEmpty().allSatisfy(name -> assertThat(name)
                .doesNotContain("EventThread").doesNotContain("ElizaConnection").contains("ElizaWorker"));
    }
}
