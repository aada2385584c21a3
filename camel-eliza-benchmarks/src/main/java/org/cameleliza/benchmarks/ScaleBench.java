package org.cameleliza.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.socket.client.Socket;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.support.service.ServiceHelper;
import org.json.JSONObject;

/**
 * One connection with many joined channels (one consumer each): heap per idle channel, how long it takes to join them
 * all again after the server went away and came back, and how many REST reads that costs (gap recovery is paced:
 * docs/eliza-component.md); then the heap each request-reply exchange holds while it waits for its answer.
 */
final class ScaleBench {

    /** Channels that get a message after the rejoin: their gap reads go at once. */
    private static final int ACTIVE_AFTER_REJOIN = 10;
    /** How long after the rejoin the REST reads are counted. */
    private static final long COUNTED_AFTER_REJOIN_MS = 2_000;

    private ScaleBench() {
    }

    static Map<String, Object> channels(CamelContext context, BareServer server, String entityId, int count) throws Exception {
        long before = usedHeapAfterGc();
        List<Consumer> consumers = new ArrayList<>();
        List<String> channelIds = new ArrayList<>();
        AtomicInteger delivered = new AtomicInteger();
        long joinsBefore = server.stat("joins");
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String channelId = RawClient.newId();
            Endpoint endpoint = context.getEndpoint("eliza:" + channelId + "?url=" + server.url() + "&entityId="
                                                    + entityId + "&reconnectInitialDelay=100&reconnectMaxDelay=500");
            Consumer consumer = endpoint.createConsumer(exchange -> delivered.incrementAndGet());
            ServiceHelper.startService(consumer);
            consumers.add(consumer);
            channelIds.add(channelId);
        }
        waitFor(server, "joins", joinsBefore + count, 120_000);
        long joinAllMs = (System.nanoTime() - start) / 1_000_000;
        long after = usedHeapAfterGc();
        long restReadsAtStart = server.stat("restReads");

        // a crash of the server: every socket drops; it comes back on the same port
        server.kill();
        long down = System.nanoTime();
        server.start();
        long upMs = (System.nanoTime() - down) / 1_000_000;
        long joinsDone = waitFor(server, "joins", count, 60_000);
        Map<String, Object> stats = server.stats();
        double serverStarted = ((Number) stats.get("startedAt")).doubleValue();
        double connectedAt = ((Number) stats.get("lastConnectAt")).doubleValue();
        double lastJoinAt = ((Number) stats.get("lastJoinAt")).doubleValue();
        Thread.sleep(COUNTED_AFTER_REJOIN_MS);
        long restReadsAfterRejoin = server.stat("restReads");

        // a message in a few channels that waited for their turn: each is read at once, before its message is routed
        long activeStart = System.nanoTime();
        Socket control = RawClient.connect(server.url(), RawClient.newId(), true, true, true);
        try {
            for (int i = 0; i < ACTIVE_AFTER_REJOIN; i++) {
                String channelId = channelIds.get(count - 1 - i);
                control.emit("bench:emit", new JSONObject().put("channelId", channelId).put("seq", i).put("count", 1));
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (delivered.get() < ACTIVE_AFTER_REJOIN && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        } finally {
            control.close();
        }
        long activeDeliveredMs = (System.nanoTime() - activeStart) / 1_000_000;
        long restReadsAfterActive = server.stat("restReads");

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("section", "scale");
        row.put("variant", "eliza: consumers on one connection");
        row.put("channels", count);
        row.put("firstJoinAllMs", joinAllMs);
        row.put("heapPerChannelBytes", (after - before) / count);
        row.put("restReadsAtFirstStart", restReadsAtStart);
        row.put("serverRestartMs", upMs);
        row.put("reconnectAfterServerUpMs", Math.round(connectedAt - serverStarted));
        row.put("rejoinAllAfterConnectMs", Math.round(lastJoinAt - connectedAt));
        row.put("rejoinAllFromServerUpMs", joinsDone);
        row.put("joinsSeen", stats.get("joins"));
        row.put("restReadsWithin2sOfRejoin", restReadsAfterRejoin);
        row.put("activeChannelsAfterRejoin", ACTIVE_AFTER_REJOIN);
        row.put("activeMessagesDelivered", delivered.get());
        row.put("activeMessagesDeliveredMs", activeDeliveredMs);
        row.put("restReadsForActiveChannels", restReadsAfterActive - restReadsAfterRejoin);
        long stopStart = System.nanoTime();
        for (Consumer consumer : consumers) {
            ServiceHelper.stopAndShutdownService(consumer);
        }
        row.put("stopAllMs", (System.nanoTime() - stopStart) / 1_000_000);
        return row;
    }

    /**
     * The heap request-reply exchanges hold while they wait for their answers: {@code count} conversations (a channel
     * each, by conversation key) ask a question the stand-in agent never answers.
     */
    static Map<String, Object> waitingRequests(CamelContext context, BareServer server, int count) throws Exception {
        Endpoint endpoint = context.getEndpoint("eliza:bench-waiting?url=" + server.url() + "&entityId=" + RawClient.newId()
                                                + "&agentId=" + RawClient.newId()
                                                + "&requestReply=inOut&replyMatching=position&replyTimeout=600000");
        AsyncProducer producer = endpoint.createAsyncProducer();
        ServiceHelper.startService(producer);
        AtomicInteger failed = new AtomicInteger();
        try {
            // the connection and its first channel exist before the measure starts
            Exchange first = endpoint.createExchange(ExchangePattern.InOnly);
            first.getMessage().setBody("[silent] hello");
            producer.process(first);
            long before = usedHeapAfterGc();
            long sendsBefore = server.stat("sends");
            List<Exchange> waiting = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Exchange exchange = endpoint.createExchange(ExchangePattern.InOut);
                exchange.getMessage().setBody("[silent] question " + i);
                exchange.getMessage().setHeader("CamelElizaConversationKey", "waiting-" + i);
                producer.process(exchange, doneSync -> failed.incrementAndGet());
                waiting.add(exchange);
            }
            waitFor(server, "sends", sendsBefore + count, 120_000);
            long after = usedHeapAfterGc();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("section", "scale");
            row.put("variant", "eliza: request-reply exchanges waiting for their answers, a conversation each");
            row.put("requests", count);
            row.put("heapPerWaitingRequestBytes", (after - before) / count);
            row.put("answeredOrFailedBeforeTheEnd", failed.get());
            row.put("exchangesHeld", waiting.size());
            return row;
        } finally {
            ServiceHelper.stopAndShutdownService(producer);
        }
    }

    /** Polls the server's counter until it reaches the target; returns how long that took, in milliseconds. */
    private static long waitFor(BareServer server, String counter, long target, long timeoutMillis) throws Exception {
        long start = System.nanoTime();
        while (server.stat(counter) < target) {
            if ((System.nanoTime() - start) / 1_000_000 > timeoutMillis) {
                throw new IllegalStateException(counter + " did not reach " + target + " within " + timeoutMillis + " ms: "
                                                + server.stats());
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
