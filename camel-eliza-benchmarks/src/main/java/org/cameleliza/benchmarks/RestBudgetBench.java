package org.cameleliza.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.test.ElizaTestServer;

/**
 * What request-reply costs of the server's REST budget (elizaOS 1.7: 1000 requests per 15 minutes per client address
 * over all of /api, its agents' loopback requests included): {@code questions} questions asked one after the other in
 * one conversation of a fresh real server, counting the component's own REST requests (its connections' count) and
 * what the server's limiter says is left (RateLimit-Remaining, read before and after; each read costs one).
 */
final class RestBudgetBench {

    private RestBudgetBench() {
    }

    static Map<String, Object> run(CamelContext context, ElizaTestServer eliza, int questions) throws Exception {
        String uri = "eliza:bench-budget-" + RawClient.newId().substring(0, 8) + "?url=" + eliza.url() + "&agentId="
                     + eliza.agent("Echo").id() + "&requestReply=true&replyTimeout=120000";
        ProducerTemplate template = context.createProducerTemplate();
        long remainingBefore = remaining(eliza.url());
        ask(template, uri, "question 0");
        long afterFirst = componentRequests(context);
        long start = System.nanoTime();
        for (int i = 1; i < questions; i++) {
            ask(template, uri, "question " + i);
        }
        long elapsedNanos = System.nanoTime() - start;
        long total = componentRequests(context);
        long remainingAfter = remaining(eliza.url());
        double serverPerAnswer = (remainingBefore - remainingAfter - 1) / (double) questions;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("section", "restBudget");
        row.put("variant", "eliza: request-reply, replyMatching=exact, real elizaOS 1.7.2");
        row.put("questions", questions);
        row.put("componentRestTotal", total);
        row.put("componentRestConnectAndFirstAnswer", afterFirst);
        row.put("componentRestPerAnswerAfterFirst", (total - afterFirst) / (double) (questions - 1));
        row.put("serverBudgetPerAnswer", serverPerAnswer);
        row.put("answersPer15MinOnAStockServer", serverPerAnswer > 0 ? Math.round(1000 / serverPerAnswer) : null);
        row.put("answersPerSec", (questions - 1) / (elapsedNanos / 1e9));
        return row;
    }

    private static void ask(ProducerTemplate template, String uri, String question) {
        Exchange reply = template.request(uri, e -> e.getMessage().setBody(question));
        String body = reply.getMessage().getBody(String.class);
        if (reply.getException() != null || body == null || !body.equals("Echo echoes: " + question)) {
            throw new IllegalStateException("Unexpected reply to " + question + ": " + body, reply.getException());
        }
    }

    private static long componentRequests(CamelContext context) {
        long requests = 0;
        for (ElizaConnection connection : context.getComponent("eliza", ElizaComponent.class).getConnectionManager()
                .getConnections()) {
            requests += connection.rest().budget().requests();
        }
        return requests;
    }

    /** What the server's rate limiter says is left of this address's budget. */
    private static long remaining(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/api/system/version")).build(),
                HttpResponse.BodyHandlers.discarding());
        return Long.parseLong(answer.headers().firstValue("RateLimit-Remaining").orElseThrow(
                () -> new IllegalStateException("The server sent no RateLimit-Remaining header")));
    }
}
