package org.cameleliza.benchmarks;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Request-reply round trips: {@code conversations} conversations at once (each its own channel, by conversation key),
 * each asking {@code perConversation} questions one after the other, as a chat front end would.
 */
final class RequestReplyBench {

    private RequestReplyBench() {
    }

    static Map<String, Object> run(
            String section, String variant, CamelContext context, String uri, int conversations, int warmupPerConversation,
            int perConversation, String expectedPrefix, long timeoutSeconds) throws Exception {
        Endpoint endpoint = context.getEndpoint(uri);
        AsyncProducer producer = endpoint.createAsyncProducer();
        ServiceHelper.startService(producer);
        try {
            String run = RawClient.newId().substring(0, 8);
            converse(endpoint, producer, conversations, warmupPerConversation, run + "-warmup", expectedPrefix, null,
                    timeoutSeconds);
            int n = conversations * perConversation;
            Latencies latencies = new Latencies(n);
            long start = System.nanoTime();
            converse(endpoint, producer, conversations, perConversation, run, expectedPrefix, latencies, timeoutSeconds);
            return Latencies.result(section, variant, conversations, n, System.nanoTime() - start, latencies);
        } finally {
            ServiceHelper.stopService(producer);
        }
    }

    private static void converse(
            Endpoint endpoint, AsyncProducer producer, int conversations, int perConversation, String run,
            String expectedPrefix, Latencies latencies, long timeoutSeconds) throws Exception {
        if (perConversation == 0) {
            return;
        }
        CountDownLatch done = new CountDownLatch(conversations);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger slot = new AtomicInteger();
        for (int c = 0; c < conversations; c++) {
            ask(endpoint, producer, "conv-" + run + "-" + c, 0, perConversation, expectedPrefix, latencies, slot, failure,
                    done);
        }
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Conversations did not finish within " + timeoutSeconds + " s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("A request failed", failure.get());
        }
    }

    /** Asks question {@code i} of a conversation; its callback asks the next. */
    private static void ask(
            Endpoint endpoint, AsyncProducer producer, String key, int i, int count, String expectedPrefix,
            Latencies latencies, AtomicInteger slot, AtomicReference<Throwable> failure, CountDownLatch done) {
        Exchange exchange = endpoint.createExchange(ExchangePattern.InOut);
        String question = "question " + i + " of " + key;
        exchange.getMessage().setBody(question);
        exchange.getMessage().setHeader("CamelElizaConversationKey", key);
        long t0 = System.nanoTime();
        producer.process(exchange, doneSync -> {
            long latency = System.nanoTime() - t0;
            String reply = exchange.getMessage().getBody(String.class);
            if (exchange.getException() != null || reply == null || !reply.startsWith(expectedPrefix)) {
                failure.compareAndSet(null, exchange.getException() != null
                        ? exchange.getException() : new IllegalStateException("Unexpected reply: " + reply));
                done.countDown();
                return;
            }
            if (latencies != null) {
                latencies.record(slot.getAndIncrement(), latency);
            }
            if (i + 1 < count) {
                ask(endpoint, producer, key, i + 1, count, expectedPrefix, latencies, slot, failure, done);
            } else {
                done.countDown();
            }
        });
    }
}
