package org.cameleliza.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.cameleliza.test.ElizaTestServer;

/**
 * The whole-process benchmark suite of docs/performance.md: starts the bare server, runs every section (interleaved:
 * each round runs every variant once, so drift of the machine hits them alike), prints a table and writes
 * {@code results.json} and {@code results.md} under {@code bench.out}.
 * <p>
 * System properties: bench.n, bench.warmup, bench.rounds, bench.inFlight (1,16), bench.sections
 * (producer,consumer,scale,lanes,requestReply), bench.variants (all producer/consumer variants when unset: raw,
 * raw-kept, raw-ws, raw-ws-noecho, raw-nodelay, eliza, route, route-caller, route-rr, node; raw-handoff for the consumer),
 * bench.controlNoDelay (true: the consumer section's control socket without Nagle's algorithm),
 * bench.port, bench.serverDir, bench.out, bench.channels (10000), bench.waitingRequests (1000), bench.lanes (100), bench.rr.one (30),
 * bench.rr.perConversation (3), bench.rr.conversations (32).
 */
public final class BenchmarkRunner {

    private static final String RAW_KEPT
            = "raw io.socket 2.1.2, event thread kept alive (an idle eliza: connection in the JVM)";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final int n = Integer.getInteger("bench.n", 20_000);
    private final int warmup = Integer.getInteger("bench.warmup", 2_000);
    private final int rounds = Integer.getInteger("bench.rounds", 2);
    private final int[] inFlights = Arrays.stream(System.getProperty("bench.inFlight", "1,16").split(","))
            .mapToInt(Integer::parseInt).toArray();
    private final Set<String> sections = Set.of(
            System.getProperty("bench.sections", "producer,consumer,scale,lanes,requestReply,restBudget,toolCalls,streaming").split(","));
    private final String variantsFilter = System.getProperty("bench.variants", "");
    private final int port = Integer.getInteger("bench.port", 4600);
    private final Path serverDir = Path.of(System.getProperty("bench.serverDir", "bare-server"));
    private final Path out = Path.of(System.getProperty("bench.out", "target/bench"));
    private final List<Map<String, Object>> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new BenchmarkRunner().runAll();
        // Socket.IO's and OkHttp's threads would keep the JVM up for a while
        System.exit(0);
    }

    private boolean variant(String name) {
        return variantsFilter.isEmpty() || Arrays.asList(variantsFilter.split(",")).contains(name);
    }

    private void runAll() throws Exception {
        Files.createDirectories(out);
        Map<String, Object> machine = machine();
        System.out.println("machine: " + machine);
        try (BareServer server = new BareServer(serverDir, port).start()) {
            String url = server.url();
            if (sections.contains("producer") || sections.contains("consumer")) {
                CamelContext context = new DefaultCamelContext();
                context.start();
                try {
                    for (int round = 1; round <= rounds; round++) {
                        for (int inFlight : inFlights) {
                            if (sections.contains("producer")) {
                                producerRound(context, url, round, inFlight);
                            }
                            if (sections.contains("consumer")) {
                                consumerRound(context, server, url, round, inFlight);
                            }
                        }
                    }
                } finally {
                    context.stop();
                }
            }
            if (sections.contains("lanes")) {
                CamelContext context = new DefaultCamelContext();
                context.start();
                try {
                    String uri = "eliza:bench-lanes?url=" + url + "&entityId=" + RawClient.newId() + "&agentId="
                                 + ElizaTestServer.KNOWN_AGENTS.get(0).id() + "&replyMatching=position&requestReply=true";
                    int lanes = Integer.getInteger("bench.lanes", 100);
                    int perLane = Math.max(2, n / 1000);
                    for (int round = 1; round <= rounds; round++) {
                        add(round, RequestReplyBench.run("lanes", "eliza: request-reply, bare server", context, uri, 1,
                                Math.max(1, perLane / 2), perLane * 10, "Echo echoes:", 300));
                        long before = ScaleBench.usedHeapAfterGc();
                        Map<String, Object> row = RequestReplyBench.run("lanes", "eliza: request-reply, bare server",
                                context, uri, lanes, Math.max(1, perLane / 2), perLane, "Echo echoes:", 300);
                        row.put("heapRetainedAfterBytes", ScaleBench.usedHeapAfterGc() - before);
                        add(round, row);
                    }
                } finally {
                    context.stop();
                }
            }
            if (sections.contains("scale")) {
                CamelContext context = new DefaultCamelContext();
                context.start();
                try {
                    add(1, ScaleBench.channels(context, server, RawClient.newId(), Integer.getInteger("bench.channels", 10_000)));
                    add(1, ScaleBench.waitingRequests(context, server, Integer.getInteger("bench.waitingRequests", 1000)));
                } finally {
                    context.stop();
                }
            }
        }
        if (sections.contains("requestReply")) {
            requestReplyOnRealServer();
        }
        if (sections.contains("restBudget")) {
            restBudgetOnRealServer();
        }
        if (sections.contains("toolCalls")) {
            toolCalls();
        }
        if (sections.contains("streaming")) {
            streaming();
        }
        Report.write(out, machine, rows);
    }

    private void producerRound(CamelContext context, String url, int round, int inFlight) throws Exception {
        String channel = RawClient.newId();
        String entity = RawClient.newId();
        if (variant("raw")) {
            try (ProducerBench.Sender raw = ProducerBench.raw(url, channel, RawClient.newId(), false, false)) {
                add(round, ProducerBench.run("raw io.socket 2.1.2 (polling, then upgrade)", raw, inFlight, warmup, n));
            }
        }
        if (variant("raw-kept")) {
            try (AutoCloseable idle = idleElizaConnection(context, url);
                 ProducerBench.Sender raw = ProducerBench.raw(url, channel, RawClient.newId(), false, false)) {
                add(round, ProducerBench.run(RAW_KEPT, raw, inFlight, warmup, n));
            }
        }
        if (variant("raw-ws")) {
            try (ProducerBench.Sender raw = ProducerBench.raw(url, channel, RawClient.newId(), true, false)) {
                add(round, ProducerBench.run("raw io.socket, WebSocket only", raw, inFlight, warmup, n));
            }
        }
        if (variant("raw-ws-noecho")) {
            try (ProducerBench.Sender raw = ProducerBench.raw(url, channel, RawClient.newId(), true, true)) {
                add(round, ProducerBench.run("raw io.socket, WebSocket only, no echo broadcast", raw, inFlight, warmup, n));
            }
        }
        if (variant("raw-nodelay")) {
            try (ProducerBench.Sender raw = ProducerBench.raw(url, channel, RawClient.newId(), false, false, true)) {
                add(round, ProducerBench.run("raw io.socket with TCP_NODELAY, as the component's sockets", raw, inFlight,
                        warmup, n));
            }
        }
        String elizaUri = "eliza:" + channel + "?url=" + url + "&entityId=" + entity;
        if (variant("eliza")) {
            try (ProducerBench.Sender eliza = ProducerBench.component(context, elizaUri)) {
                add(round, ProducerBench.run("eliza: producer (InOnly)", eliza, inFlight, warmup, n));
            }
        }
        if (variant("route")) {
            try (ProducerBench.Sender route = RouteBench.producer(context, elizaUri, true, false, 1, null)) {
                add(round, ProducerBench.run("eliza: route, template.asyncSend -> direct: -> eliza: (InOnly)", route,
                        inFlight, warmup, n));
            }
        }
        if (variant("route-caller")) {
            try (ProducerBench.Sender route = RouteBench.producer(context, elizaUri, false, false, 1, null)) {
                add(round, ProducerBench.run("eliza: route, the same with threadedAsyncMode=false", route, inFlight,
                        warmup, n));
            }
        }
        if (variant("route-rr")) {
            // fewer: each request waits for the stand-in agent's answer too
            String uri = elizaUri + "&agentId=" + ElizaTestServer.KNOWN_AGENTS.get(0).id()
                         + "&replyMatching=position&requestReply=true";
            try (ProducerBench.Sender route = RouteBench.producer(context, uri, true, true, inFlight, "Echo echoes:")) {
                add(round, ProducerBench.run("eliza: route, request-reply (stand-in agent), a conversation per slot",
                        route, inFlight, Math.max(1, warmup / 5), Math.max(1, n / 5)));
            } catch (IllegalStateException e) {
                // not comparable with the raw client anyway: its failure must not cost the run the other rows
                System.err.println("route-rr, " + inFlight + " in flight, failed: " + e);
            }
        }
        if (variant("node")) {
            add(round, nodeClient(url, inFlight));
        }
    }

    private void consumerRound(CamelContext context, BareServer server, String url, int round, int inFlight)
            throws Exception {
        if (variant("raw")) {
            String channel = RawClient.newId();
            add(round, ConsumerBench.run("raw io.socket listener (polling, then upgrade)", url, channel,
                    sink -> ConsumerBench.raw(url, channel, false, sink), inFlight, warmup, n));
        }
        if (variant("raw-kept")) {
            String channel = RawClient.newId();
            try (AutoCloseable idle = idleElizaConnection(context, url)) {
                add(round, ConsumerBench.run("raw io.socket listener, " + RAW_KEPT.substring(RAW_KEPT.indexOf(',') + 2),
                        url, channel, sink -> ConsumerBench.raw(url, channel, false, sink), inFlight, warmup, n));
            }
        }
        if (variant("raw-ws")) {
            String channel = RawClient.newId();
            add(round, ConsumerBench.run("raw io.socket listener, WebSocket only", url, channel,
                    sink -> ConsumerBench.raw(url, channel, true, sink), inFlight, warmup, n));
        }
        if (variant("raw-handoff")) {
            // what an application must do with the raw client: its own code off Socket.IO's single thread
            String channel = RawClient.newId();
            add(round, ConsumerBench.run("raw io.socket listener, handing each message to a thread of its own", url,
                    channel, sink -> ConsumerBench.rawHandingOff(url, channel, sink), inFlight, warmup, n));
        }
        if (variant("eliza")) {
            String channel = RawClient.newId();
            String uri = "eliza:" + channel + "?url=" + url + "&entityId=" + RawClient.newId();
            add(round, ConsumerBench.run("eliza: consumer", url, channel,
                    (IntConsumer sink) -> ConsumerBench.component(context, uri, server, sink), inFlight, warmup, n));
        }
        if (variant("route")) {
            String channel = RawClient.newId();
            String uri = "eliza:" + channel + "?url=" + url + "&entityId=" + RawClient.newId();
            add(round, ConsumerBench.run("eliza: route, from(eliza:).process()", url, channel,
                    (IntConsumer sink) -> RouteBench.consumer(context, uri, sink), inFlight, warmup, n));
        }
    }

    /**
     * An idle eliza: consumer of another channel: while a connection of the component is open, Socket.IO's event thread
     * (one per JVM, shared with the raw client) is kept alive between tasks, which io.socket alone ends and starts
     * again whenever its queue runs dry. The raw client next to it shows what that alone is worth.
     */
    private static AutoCloseable idleElizaConnection(CamelContext context, String url) throws Exception {
        Consumer consumer = context.getEndpoint("eliza:" + RawClient.newId() + "?url=" + url + "&entityId="
                                                                 + RawClient.newId())
                .createConsumer(exchange -> {
                });
        ServiceHelper.startService(consumer);
        return () -> ServiceHelper.stopAndShutdownService(consumer);
    }

    private Map<String, Object> nodeClient(String url, int inFlight) throws Exception {
        Process process = new ProcessBuilder("node", "client-bench.mjs", "--url", url, "--n", String.valueOf(n), "--warmup",
                String.valueOf(warmup), "--in-flight", String.valueOf(inFlight))
                .directory(serverDir.toFile()).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                last = line;
            }
        }
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || last == null || !last.startsWith("{")) {
            process.destroyForcibly();
            throw new IllegalStateException("The Node client failed: " + last);
        }
        Map<String, Object> result = MAPPER.readValue(last, new TypeReference<>() {
        });
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("section", "producer");
        row.put("variant", "node socket.io-client 4.8.1");
        row.put("inFlight", inFlight);
        row.put("n", n);
        row.put("msgPerSec", result.get("msgPerSec"));
        row.put("p50Ms", result.get("p50Ms"));
        row.put("p99Ms", result.get("p99Ms"));
        return row;
    }

    /** Request-reply through the real elizaOS 1.7.2 server of the test kit, with its deterministic Echo agent. */
    private void requestReplyOnRealServer() throws Exception {
        int one = Integer.getInteger("bench.rr.one", 30);
        int conversations = Integer.getInteger("bench.rr.conversations", 32);
        int perConversation = Integer.getInteger("bench.rr.perConversation", 3);
        ElizaTestServer eliza = ElizaTestServer.builder().port(port + 50).build().start();
        CamelContext context = new DefaultCamelContext();
        try {
            context.start();
            String uri = "eliza:bench-rr?url=" + eliza.url() + "&agentId=" + eliza.agent("Echo").id()
                         + "&requestReply=true&replyTimeout=120000";
            // every REST route of the server shares a limit of 1000 requests per 15 minutes, which exact reply
            // matching and the server's own agents spend: one round, few requests (see docs/performance.md)
            add(1, RequestReplyBench.run("requestReply", "eliza: request-reply, real elizaOS 1.7.2", context, uri, 1, 2,
                    one, "Echo echoes:", 600));
            add(1, RequestReplyBench.run("requestReply", "eliza: request-reply, real elizaOS 1.7.2", context, uri,
                    conversations, 1, perConversation, "Echo echoes:", 600));
        } finally {
            context.stop();
            eliza.close();
        }
    }

    /**
     * A fresh real server, so that its whole REST budget is there to measure: the sequential questions of one
     * conversation (bench.restBudget.questions, 250: with the agent's own ~3 requests an answer, most of the budget).
     */
    private void restBudgetOnRealServer() throws Exception {
        int questions = Integer.getInteger("bench.restBudget.questions", 250);
        ElizaTestServer eliza = ElizaTestServer.builder().port(port + 51).build().start();
        CamelContext context = new DefaultCamelContext();
        try {
            context.start();
            add(1, RestBudgetBench.run(context, eliza, questions));
        } finally {
            context.stop();
            eliza.close();
        }
    }

    /** Tool calls per second over HTTP: eliza-tool routes against the MCP SDK alone, interleaved; then an agent's. */
    private void toolCalls() throws Exception {
        int calls = Integer.getInteger("bench.toolCalls.n", 5_000);
        try (ToolCallBench.ToolServer baseline = ToolCallBench.sdkAlone();
             ToolCallBench.ToolServer tool = ToolCallBench.elizaTool()) {
            for (int round = 1; round <= rounds; round++) {
                for (int inFlight : inFlights) {
                    add(round, ToolCallBench.run("MCP SDK 2.1.0 alone (JDK HTTP server, plain handler)", baseline,
                            inFlight, calls / 10, calls));
                    add(round, ToolCallBench.run("eliza-tool route", tool, inFlight, calls / 10, calls));
                }
            }
        }
        add(1, AgentToolCallBench.run(Integer.getInteger("bench.toolCalls.questions", 20), port + 52));
    }

    /** Streamed answers (first chunk against whole answer) and request-reply over http against Socket.IO. */
    private void streaming() throws Exception {
        int questions = Integer.getInteger("bench.streaming.questions", 10);
        int chunkMillis = Integer.getInteger("bench.streaming.chunkMillis", 50);
        ElizaTestServer eliza = ElizaTestServer.builder().port(port + 53).build().start();
        CamelContext context = new DefaultCamelContext();
        try {
            context.start();
            for (int round = 1; round <= rounds; round++) {
                for (String transport : List.of("socket", "sse")) {
                    add(round, StreamingBench.streamed(context, eliza, transport, questions, chunkMillis));
                }
                for (String transport : List.of("socket", "http")) {
                    add(round, StreamingBench.requestReply(context, eliza, transport, questions * 3));
                }
            }
        } finally {
            context.stop();
            eliza.close();
        }
    }

    private void add(int round, Map<String, Object> row) {
        Map<String, Object> withRound = new LinkedHashMap<>();
        withRound.put("round", round);
        withRound.putAll(row);
        rows.add(withRound);
        System.out.println(Report.line(withRound));
    }

    private static Map<String, Object> machine() throws Exception {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                          + System.getProperty("os.arch"));
        Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        machine.put("node", new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        node.waitFor();
        return machine;
    }
}
