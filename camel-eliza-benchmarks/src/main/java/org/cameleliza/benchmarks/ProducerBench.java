package org.cameleliza.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.socket.client.Socket;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.support.service.ServiceHelper;
import org.json.JSONObject;

/**
 * Producer throughput and ack latency: emit SEND_MESSAGE and wait for its messageAck, with a fixed number of messages
 * in flight (a closed loop: a new message leaves when one is acknowledged).
 */
final class ProducerBench {

    /** Sends message {@code i}; calls {@code done} with nothing or the failure once the server acknowledged it. */
    interface Sender extends AutoCloseable {
        void send(int i, Runnable done, java.util.function.Consumer<Throwable> failed);

        @Override
        void close();
    }

    private ProducerBench() {
    }

    /** Runs warm-up then n measured messages; returns the result row. */
    static Map<String, Object> run(String variant, Sender sender, int inFlight, int warmup, int n) throws Exception {
        loop(sender, inFlight, warmup, null);
        Latencies latencies = new Latencies(n);
        long start = System.nanoTime();
        loop(sender, inFlight, n, latencies);
        long elapsed = System.nanoTime() - start;
        return Latencies.result("producer", variant, inFlight, n, elapsed, latencies);
    }

    private static void loop(Sender sender, int inFlight, int count, Latencies latencies) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < count; i++) {
            window.acquire();
            if (failure.get() != null) {
                throw new IllegalStateException("A send failed", failure.get());
            }
            int index = i;
            long t0 = System.nanoTime();
            sender.send(i, () -> {
                if (latencies != null) {
                    latencies.record(index, System.nanoTime() - t0);
                }
                window.release();
            }, e -> {
                failure.set(e);
                window.release();
            });
        }
        if (!window.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Acks missing at the end of the run");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("A send failed", failure.get());
        }
    }

    /** The {@code eliza:} producer, InOnly: its exchange completes when the server acknowledged the message. */
    static Sender component(CamelContext context, String uri) throws Exception {
        Endpoint endpoint = context.getEndpoint(uri);
        AsyncProducer producer = endpoint.createAsyncProducer();
        ServiceHelper.startService(producer);
        return new Sender() {
            @Override
            public void send(int i, Runnable done, java.util.function.Consumer<Throwable> failed) {
                Exchange exchange = endpoint.createExchange(ExchangePattern.InOnly);
                exchange.getMessage().setBody("message " + i);
                producer.process(exchange, doneSync -> {
                    if (exchange.getException() != null) {
                        failed.accept(exchange.getException());
                    } else {
                        done.run();
                    }
                });
            }

            @Override
            public void close() {
                ServiceHelper.stopService(producer);
            }
        };
    }

    /** The raw client: the same envelope as the component sends, the ack matched by clientMessageId. */
    static Sender raw(String url, String channelId, String entityId, boolean websocketOnly, boolean noEcho)
            throws Exception {
        return raw(url, channelId, entityId, websocketOnly, noEcho, false);
    }

    /** {@code noDelay}: the raw client on sockets with TCP_NODELAY, as the component's are. */
    static Sender raw(String url, String channelId, String entityId, boolean websocketOnly, boolean noEcho,
                      boolean noDelay) throws Exception {
        Socket socket = RawClient.connect(url, entityId, websocketOnly, noEcho, noDelay);
        Map<String, Runnable> pending = new ConcurrentHashMap<>();
        socket.on("messageAck", args -> {
            Runnable done = pending.remove(((JSONObject) args[0]).optString("clientMessageId"));
            if (done != null) {
                done.run();
            }
        });
        return new Sender() {
            @Override
            public void send(int i, Runnable done, java.util.function.Consumer<Throwable> failed) {
                String id = RawClient.newId();
                pending.put(id, done);
                socket.emit("message", RawClient.sendEnvelope(channelId, entityId, "message " + i, id));
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }
}
