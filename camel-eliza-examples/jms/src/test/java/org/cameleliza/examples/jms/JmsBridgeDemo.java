package org.cameleliza.examples.jms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;

/**
 * The demo: starts a local elizaOS server with a deterministic agent (unless -Deliza.url names a server of yours,
 * then give -Deliza.agentId too, and its API key, if it has one, in the environment variable ELIZA_API_KEY) and the embedded broker, puts questions on the transacted queue, asks the agent over
 * JMS request-reply, puts one bad message on the queue, and exits with a summary (non-zero when something did not
 * happen).
 */
public final class JmsBridgeDemo {

    private static final String[] QUESTIONS = {
        "My parcel has not arrived yet.", "Can I change my delivery address?", "Do you ship to Norway?" };

    private JmsBridgeDemo() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getProperty("eliza.url");
        String agentId = System.getProperty("eliza.agentId");
        ElizaTestServer server = null;
        if (url == null) {
            System.out.println("Starting a local Eliza server (@elizaos/server 1.7.2, deterministic agent"
                               + " 'Support')...");
            server = ElizaTestServer.builder()
                    .agent(ElizaTestAgent.named("Support").when("opening hours", "We are open from 9 to 5."))
                    .build().start();
            url = server.url();
            agentId = server.agent("Support").id();
        } else if (agentId == null) {
            throw new IllegalArgumentException("-Deliza.url needs -Deliza.agentId: the UUID of the agent to ask");
        }
        Path brokerData = Files.createTempDirectory("camel-eliza-jms-broker");
        try (EmbeddedBroker broker = JmsBridge.embeddedBroker(brokerData).build().start()) {
            run(broker, url, agentId);
        } finally {
            if (server != null) {
                server.stop();
            }
            deleteRecursively(brokerData);
        }
    }

    private static void run(EmbeddedBroker broker, String url, String agentId) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties settings = new Properties();
        settings.setProperty("eliza.url", url);
        settings.setProperty("eliza.agentId", agentId);
        if (System.getenv("ELIZA_API_KEY") != null) {
            settings.setProperty("eliza.apiKey", System.getenv("ELIZA_API_KEY"));
        }
        JmsBridge.addTo(camel, broker.connectionFactory(), settings);
        camel.start();
        try {
            ProducerTemplate producer = camel.createProducerTemplate();
            NotifyBuilder committed = new NotifyBuilder(camel).fromRoute(TransactedQuestionsRoute.ROUTE_ID)
                    .whenCompleted(QUESTIONS.length + 1).create();
            for (String question : QUESTIONS) {
                producer.sendBody("jms:queue:questions", question);
            }
            producer.sendBody("jms:queue:questions", " ");
            boolean allCommitted = committed.matches(60, TimeUnit.SECONDS) && queueEmptied(broker, "questions");

            Exchange answer = producer.request("jms:queue:ask",
                    e -> e.getMessage().setBody("What are your opening hours?"));
            String reply = answer.getMessage().getBody(String.class);
            Object error = answer.getMessage().getHeader(AgentRequestReplyRoute.ERROR);
            long deadLetters = broker.messageCount("questions.DLQ");

            System.out.println();
            System.out.println("Questions committed after Eliza's ack: " + (allCommitted ? QUESTIONS.length : "NOT ALL")
                               + " (queue 'questions' now holds " + broker.messageCount("questions") + ")");
            System.out.println("Bad messages in questions.DLQ: " + deadLetters);
            System.out.println("Answer over JMSReplyTo: " + reply + (error != null ? " (error: " + error + ")" : ""));
            if (!allCommitted || deadLetters != 1 || error != null || reply == null) {
                throw new IllegalStateException("Demo FAILED: see the summary above");
            }
            System.out.println("Demo finished.");
        } finally {
            camel.stop();
        }
    }

    /** The JMS commit follows the exchange's completion: wait for it (10 s at most). */
    private static boolean queueEmptied(EmbeddedBroker broker, String queue) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (broker.messageCount(queue) > 0) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static void deleteRecursively(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
