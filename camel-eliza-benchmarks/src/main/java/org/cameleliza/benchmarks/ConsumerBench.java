package org.cameleliza.benchmarks;

import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import io.socket.client.Socket;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.json.JSONObject;

/**
 * Consumer latency and throughput: the bare server emits a messageBroadcast to the room when told to (bench:emit on a
 * control socket); the time is taken from the command to the message reaching the route (the component) or the
 * listener (the raw client). A fixed number of messages is in flight: each arrival releases the next command.
 */
final class ConsumerBench {

    /** A receiver of the room's broadcasts; calls the sink with the sequence number each message carries. */
    interface Receiver extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The control socket's commands are the stimulus, not what is measured. With Nagle's algorithm on, a command written
     * while the one before is unacknowledged waits for that ACK, which the server, having nothing to send back on this
     * socket, delays by 40 ms (Linux): the p99 of about 41 ms at 16 in flight of the runs before issue 20, in every
     * variant. {@code -Dbench.controlNoDelay=false} brings it back.
     */
    private static final boolean CONTROL_NO_DELAY = !"false".equals(System.getProperty("bench.controlNoDelay"));

    private ConsumerBench() {
    }

    static Map<String, Object> run(
            String variant, String url, String channelId, java.util.function.Function<IntConsumer, Receiver> receiverFactory,
            int inFlight, int warmup, int n) throws Exception {
        Socket control = RawClient.connect(url, RawClient.newId(), true, true, CONTROL_NO_DELAY);
        Semaphore window = new Semaphore(inFlight);
        long[] sentAt = new long[warmup + n];
        Latencies latencies = new Latencies(n);
        IntConsumer sink = seq -> {
            if (seq >= warmup) {
                latencies.record(seq - warmup, System.nanoTime() - sentAt[seq]);
            }
            window.release();
        };
        try (Receiver ignored = receiverFactory.apply(sink)) {
            long start = 0;
            for (int seq = 0; seq < warmup + n; seq++) {
                if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(variant + ": message " + (seq - inFlight) + " never arrived");
                }
                if (seq == warmup) {
                    start = System.nanoTime();
                }
                sentAt[seq] = System.nanoTime();
                control.emit("bench:emit", new JSONObject().put("channelId", channelId).put("seq", seq).put("count", 1));
            }
            if (!window.tryAcquire(inFlight, 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(variant + ": the last messages never arrived");
            }
            return Latencies.result("consumer", variant, inFlight, n, System.nanoTime() - start, latencies);
        } finally {
            control.close();
        }
    }

    /** An {@code eliza:} consumer of the channel; the route is the sink. Returns once the channel is joined. */
    static Receiver component(CamelContext context, String uri, BareServer server, IntConsumer sink) {
        try {
            Endpoint endpoint = context.getEndpoint(uri);
            Consumer consumer = endpoint.createConsumer(
                    exchange -> sink.accept(Integer.parseInt(exchange.getMessage().getBody(String.class))));
            // the consumer's start returns once the server confirmed the join
            ServiceHelper.startService(consumer);
            return () -> ServiceHelper.stopAndShutdownService(consumer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A raw listener (polling, then upgrade, as the component connects) whose work runs on a single thread of its own,
     * in order, as any application's must: code on Socket.IO's only thread stalls every connection of the JVM.
     */
    static Receiver rawHandingOff(String url, String channelId, IntConsumer sink) {
        java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor();
        Receiver listener = raw(url, channelId, false, seq -> worker.execute(() -> sink.accept(seq)));
        return () -> {
            listener.close();
            worker.shutdownNow();
        };
    }

    /** A raw listener: joins the room, reads the text of each messageBroadcast. */
    static Receiver raw(String url, String channelId, boolean websocketOnly, IntConsumer sink) {
        try {
            String entityId = RawClient.newId();
            Socket socket = RawClient.connect(url, entityId, websocketOnly, true);
            Semaphore joined = new Semaphore(0);
            socket.on("channel_joined", args -> joined.release());
            socket.on("messageBroadcast", args -> sink.accept(Integer.parseInt(((JSONObject) args[0]).optString("text"))));
            socket.emit("message", RawClient.joinEnvelope(channelId, entityId));
            if (!joined.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The raw listener's join was not confirmed");
            }
            return socket::close;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
