package org.cameleliza.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.tool.ElizaToolComponent;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;

/**
 * What a tool call adds to an agent's answer, on a real elizaOS 1.7.2 server with {@code @elizaos/plugin-mcp}: the time
 * from the agent's decision to call the tool (the model's "Determine the next step" prompt, from the server's prompt
 * log) to the route's start, the route's end to the next decision, and the whole answer's latency against an answer
 * of the same agent without a tool.
 */
final class AgentToolCallBench {

    private AgentToolCallBench() {
    }

    static Map<String, Object> run(int questions, int elizaPort) throws Exception {
        int toolPort = ElizaTestServer.freePort();
        Path prompts = Files.createTempFile("bench-tool-prompts", ".log");
        List<long[]> routeTimes = Collections.synchronizedList(new ArrayList<>());
        CamelContext context = new DefaultCamelContext();
        context.getComponent("eliza-tool", ElizaToolComponent.class).setPort(toolPort);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza-tool:lookupOrder?description=Looks up an order&parameter.orderId=string")
                        .process(exchange -> exchange.setProperty("start", System.currentTimeMillis()))
                        .setBody(simple("Order ${header.orderId} was shipped"))
                        .process(exchange -> routeTimes.add(new long[] {
                                exchange.getProperty("start", Long.class), System.currentTimeMillis() }));
            }
        });
        context.start();
        try (ElizaTestServer eliza = ElizaTestServer.builder().port(elizaPort)
                .environment("ELIZA_TEST_PROMPT_LOG", prompts.toString())
                .agent(ElizaTestAgent.named("Support")
                        .usingMcpServer("orders", "http://127.0.0.1:" + toolPort + "/mcp")
                        .callingTool("where is order (\\d+)", "orders", "lookupOrder", Map.of("orderId", "$1")))
                .build().start()) {
            context.getComponent("eliza", ElizaComponent.class).getConfiguration().setUrl(eliza.url());
            ProducerTemplate template = context.createProducerTemplate();
            String uri = "eliza:bench-tools?agentId=" + eliza.agent("Support").id() + "&replyTimeout=60000";
            awaitTools(template, uri);
            routeTimes.clear();
            List<Long> withTool = new ArrayList<>();
            List<Long> withoutTool = new ArrayList<>();
            for (int i = 0; i < questions; i++) {
                withTool.add(askMillis(template, uri, "Where is order " + i + "?", "Order " + i + " was shipped"));
                withoutTool.add(askMillis(template, uri, "Hello " + i, "Support echoes: Hello " + i));
            }
            List<Long> decisions = decisionTimes(prompts);
            List<Long> toRoute = new ArrayList<>();
            List<Long> back = new ArrayList<>();
            for (long[] route : routeTimes) {
                decisions.stream().filter(t -> t <= route[0]).reduce((a, b) -> b)
                        .ifPresent(t -> toRoute.add(route[0] - t));
                decisions.stream().filter(t -> t >= route[1]).findFirst().ifPresent(t -> back.add(t - route[1]));
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("section", "toolCalls");
            row.put("variant", "agent on real elizaOS 1.7.2 + @elizaos/plugin-mcp 1.8.2, calls one eliza-tool route");
            row.put("questions", questions);
            row.put("toolCalls", routeTimes.size());
            row.put("decisionToRouteP50Ms", median(toRoute));
            row.put("routeEndToNextDecisionP50Ms", median(back));
            row.put("answerWithToolP50Ms", median(withTool));
            row.put("answerWithoutToolP50Ms", median(withoutTool));
            return row;
        } finally {
            context.stop();
            Files.deleteIfExists(prompts);
        }
    }

    /** The agent's MCP plugin connects a moment after the server is up: asks until the tool is called. */
    private static void awaitTools(ProducerTemplate template, String uri) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!template.requestBody(uri, "Where is order 0?", String.class).startsWith("Order 0 was shipped")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The agent did not learn the tools within 90 s");
            }
            Thread.sleep(1000);
        }
    }

    private static long askMillis(ProducerTemplate template, String uri, String question, String expected) {
        long start = System.nanoTime();
        String answer = template.requestBody(uri, question, String.class);
        if (answer == null || !answer.startsWith(expected)) {
            throw new IllegalStateException("Unexpected answer to " + question + ": " + answer);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** When the model was asked "Determine the next step", from the prompt log (ELIZA_TEST_PROMPT_LOG). */
    private static List<Long> decisionTimes(Path log) throws Exception {
        List<Long> times = new ArrayList<>();
        for (String entry : Files.readString(log, StandardCharsets.UTF_8).split("\n===== ")) {
            int newline = entry.indexOf('\n');
            if (newline > 0 && entry.substring(newline + 1).stripLeading().startsWith("<task>")
                && entry.contains("Determine the next step")) {
                times.add(Instant.parse(entry.substring(0, newline).trim()).toEpochMilli());
            }
        }
        return times;
    }

    private static Long median(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
