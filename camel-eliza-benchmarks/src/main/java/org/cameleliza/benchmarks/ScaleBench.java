package org.cameleliza.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.service.ServiceHelper;

/**
 * One connection with many joined channels (one consumer each): heap per idle channel, and how long it takes to join
 * them all again after the server went away and came back.
 */
final class ScaleBench {

    private ScaleBench() {
    }

    static Map<String, Object> channels(CamelContext context, BareServer server, String entityId, int count) throws Exception {
        long before = usedHeapAfterGc();
        List<Consumer> consumers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Endpoint endpoint = context.getEndpoint("eliza:" + RawClient.newId() + "?url=" + server.url() + "&entityId="
                                                    + entityId + "&reconnectInitialDelay=100&reconnectMaxDelay=500");
            Consumer consumer = endpoint.createConsumer(exchange -> {
            });
            ServiceHelper.startService(consumer);
            consumers.add(consumer);
        }
        long joinAllMs = (System.nanoTime() - start) / 1_000_000;
        long after = usedHeapAfterGc();

        // a crash of the server: every socket drops; it comes back on the same port
        server.kill();
        long down = System.nanoTime();
        server.start();
        long upMs = (System.nanoTime() - down) / 1_000_000;
        long joinsDone = waitFor(server, "joins", count, 60_000);
        long restDone = waitFor(server, "restReads", count, 120_000);
        Map<String, Object> stats = server.stats();
        double serverStarted = ((Number) stats.get("startedAt")).doubleValue();
        double connectedAt = ((Number) stats.get("lastConnectAt")).doubleValue();
        double lastJoinAt = ((Number) stats.get("lastJoinAt")).doubleValue();

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("section", "scale");
        row.put("variant", "eliza: consumers on one connection");
        row.put("channels", count);
        row.put("firstJoinAllMs", joinAllMs);
        row.put("heapPerChannelBytes", (after - before) / count);
        row.put("serverRestartMs", upMs);
        row.put("reconnectAfterServerUpMs", Math.round(connectedAt - serverStarted));
        row.put("rejoinAllAfterConnectMs", Math.round(lastJoinAt - connectedAt));
        row.put("rejoinAllFromServerUpMs", joinsDone);
        row.put("gapRecoveryReadsDoneFromServerUpMs", joinsDone + restDone);
        row.put("joinsSeen", stats.get("joins"));
        row.put("restReadsSeen", stats.get("restReads"));
        for (Consumer consumer : consumers) {
            ServiceHelper.stopAndShutdownService(consumer);
        }
        return row;
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
