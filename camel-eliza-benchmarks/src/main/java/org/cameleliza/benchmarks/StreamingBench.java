package org.cameleliza.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.test.ElizaTestServer;

/**
 * Streamed answers and REST transports on a real elizaOS 1.7.2 server (the test kit's Echo agent): the time to the
 * first chunk against the time to the whole answer ({@code streaming=true}, over Socket.IO and over SSE, the model
 * writing a chunk every {@code chunkMillis}), and request-reply over {@code transport=http} against Socket.IO.
 */
final class StreamingBench {

    private StreamingBench() {
    }

    /** One row per transport: medians of the first chunk's and the whole answer's latency over {@code questions}. */
    static Map<String, Object> streamed(CamelContext context, ElizaTestServer eliza, String transport, int questions,
                                        int chunkMillis) {
        String uri = "eliza:bench-stream-" + transport + "-" + RawClient.newId().substring(0, 8) + "?url="
                     + eliza.url() + "&agentId=" + eliza.agent("Echo").id() + "&streaming=true&replyTimeout=60000"
                     + ("socket".equals(transport) ? "" : "&transport=" + transport);
        ProducerTemplate template = context.createProducerTemplate();
        List<Long> first = new ArrayList<>();
        List<Long> whole = new ArrayList<>();
        int chunks = 0;
        for (int i = 0; i < questions; i++) {
            String question = "streamed question " + i + " [slowchunks:" + chunkMillis + "]";
            long start = System.nanoTime();
            Exchange reply = template.request(uri, e -> e.getMessage().setBody(question));
            if (reply.getException() != null) {
                throw new IllegalStateException("The streamed answer failed", reply.getException());
            }
            ElizaAnswerStream stream = reply.getMessage().getBody(ElizaAnswerStream.class);
            StringBuilder text = new StringBuilder();
            while (stream.hasNext()) {
                text.append(stream.next());
                if (text.length() > 0 && first.size() == i) {
                    first.add(System.nanoTime() - start);
                }
                chunks++;
            }
            whole.add(System.nanoTime() - start);
            if (!text.toString().equals("Echo echoes: " + question)) {
                throw new IllegalStateException("Unexpected streamed answer: " + text);
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("section", "streaming");
        row.put("variant", "streaming=true over " + ("socket".equals(transport) ? "Socket.IO" : transport)
                           + ", a chunk every " + chunkMillis + " ms");
        row.put("questions", questions);
        row.put("chunksPerAnswer", chunks / (double) questions);
        row.put("firstChunkP50Ms", median(first) / 1e6);
        row.put("wholeAnswerP50Ms", median(whole) / 1e6);
        return row;
    }

    /** Request-reply, one question after the other: median latency and answers per second. */
    static Map<String, Object> requestReply(CamelContext context, ElizaTestServer eliza, String transport,
                                            int questions) {
        String uri = "eliza:bench-rr-" + transport + "-" + RawClient.newId().substring(0, 8) + "?url=" + eliza.url()
                     + "&agentId=" + eliza.agent("Echo").id() + "&replyTimeout=60000"
                     + ("socket".equals(transport) ? "" : "&transport=" + transport);
        ProducerTemplate template = context.createProducerTemplate();
        List<Long> latencies = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < questions; i++) {
            String question = "question " + i;
            long sent = System.nanoTime();
            String answer = template.requestBody(uri, question, String.class);
            latencies.add(System.nanoTime() - sent);
            if (!("Echo echoes: " + question).equals(answer)) {
                throw new IllegalStateException("Unexpected answer to " + question + ": " + answer);
            }
        }
        long elapsed = System.nanoTime() - start;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("section", "streaming");
        row.put("variant", "request-reply over " + ("socket".equals(transport) ? "Socket.IO" : transport));
        row.put("questions", questions);
        row.put("answerP50Ms", median(latencies) / 1e6);
        row.put("answersPerSec", questions / (elapsed / 1e9));
        return row;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
