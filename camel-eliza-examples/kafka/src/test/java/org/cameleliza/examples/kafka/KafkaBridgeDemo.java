package org.cameleliza.examples.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.cameleliza.examples.kafka.KafkaTopics.KeyValue;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;

/**
 * The demo the docs start with one command: runs the bridge as deployed ({@link KafkaBridgeApplication}) against a
 * Kafka broker and an Eliza server, writes a few questions, talks in the room, and prints what came out.
 * <p>
 * Without {@code -Dkafka.brokers} it starts a Kafka broker in this JVM; without {@code -Deliza.url} a local elizaOS
 * server with a deterministic agent (with {@code -Deliza.url}, give {@code -Deliza.agentId} too). Each run uses topics
 * of its own ({@code demo-<time>-questions}...). Exits non-zero unless every question got exactly one outcome.
 */
public final class KafkaBridgeDemo {

    /** The agent of the local Eliza server. */
    static final ElizaTestAgent SUPPORT = ElizaTestAgent.named("Support")
            .when("order (\\d+)", "Order $1 left our warehouse this morning.")
            .when("hello|hi\\b", "Hello! What can I do for you?")
            .otherwise("Let me look into that for you.");

    static final List<KeyValue> QUESTIONS = List.of(
            new KeyValue("alice", "Hello, this is Alice."),
            new KeyValue("bob", "Where is order 4711?"),
            // the local test agent does not answer "[ignore]": a dead letter once bridge.replyTimeout passed
            new KeyValue("alice", "[ignore] Are you still there?"),
            // no key, no conversation: a dead letter at once
            new KeyValue(null, "A question without a key"));

    static final String ROOM_MESSAGE = "Hi everyone in the lobby!";

    private KafkaBridgeDemo() {
    }

    public static void main(String[] args) throws Exception {
        String brokers = System.getProperty("kafka.brokers");
        String url = System.getProperty("eliza.url");
        String agentId = System.getProperty("eliza.agentId");
        if (url != null && agentId == null) {
            throw new IllegalArgumentException("-Deliza.url needs -Deliza.agentId: the UUID of the agent to ask");
        }
        EmbeddedKafkaBroker broker = null;
        ElizaTestServer eliza = null;
        Result result;
        try {
            if (brokers == null) {
                System.out.println("Starting a Kafka broker in this JVM (KRaft)...");
                broker = new EmbeddedKafkaBroker().start();
                brokers = broker.bootstrapServers();
            }
            if (url == null) {
                System.out.println("Starting a local Eliza server (@elizaos/server 1.7.2, deterministic agent"
                        + " 'Support')...");
                eliza = ElizaTestServer.builder().agent(SUPPORT).build().start();
                url = eliza.url();
                agentId = eliza.agent("Support").id();
            }
            System.out.println("Kafka at " + brokers + ", Eliza at " + url);
            result = run(brokers, url, agentId, Files.createTempDirectory("eliza-kafka-demo"));
        } finally {
            if (eliza != null) {
                eliza.stop();
            }
            if (broker != null) {
                broker.close();
            }
        }
        System.out.println(result.summary());
        if (!result.complete()) {
            throw new IllegalStateException("Demo FAILED: not every question got exactly one outcome");
        }
    }

    /** Runs the bridge, writes the questions, posts in the room, and collects what the bridge wrote. */
    static Result run(String brokers, String url, String agentId, Path dataDir) throws Exception {
        String run = "demo-" + System.currentTimeMillis();
        String questionsTopic = run + "-questions";
        String answersTopic = run + "-answers";
        String deadLetterTopic = run + "-questions-dlt";
        String agentMessagesTopic = run + "-agent-messages";
        String groupId = run + "-bridge";
        EmbeddedKafkaBroker.createTopics(brokers,
                Map.of(questionsTopic, 3, answersTopic, 3, deadLetterTopic, 1, agentMessagesTopic, 1));

        Main main = KafkaBridgeApplication.newMain();
        main.addOverrideProperty("camel.component.kafka.brokers", brokers);
        main.addOverrideProperty("camel.component.eliza.url", url);
        main.addOverrideProperty("eliza.agentId", agentId);
        main.addOverrideProperty("bridge.questionsTopic", questionsTopic);
        main.addOverrideProperty("bridge.answersTopic", answersTopic);
        main.addOverrideProperty("bridge.deadLetterTopic", deadLetterTopic);
        main.addOverrideProperty("bridge.agentMessagesTopic", agentMessagesTopic);
        main.addOverrideProperty("bridge.groupId", groupId);
        main.addOverrideProperty("bridge.replyTimeout", "10000");
        main.addOverrideProperty("bridge.seenMessagesFile", dataDir.resolve("agent-messages-seen.dat").toString());
        main.addOverrideProperty("bridge.placeFile", dataDir.resolve("agent-messages-place.dat").toString());
        main.start();
        try {
            KafkaTopics kafka = new KafkaTopics(brokers);
            List<RecordMetadata> sent = kafka.send(questionsTopic, QUESTIONS);
            System.out.println("Wrote " + sent.size() + " questions to " + questionsTopic);

            // a visitor in the room: the agent's answer there goes to the agent messages topic
            main.getCamelContext().createProducerTemplate().requestBody(
                    "eliza:{{bridge.room}}?agentId={{eliza.agentId}}&requestReply=true&senderName=visitor",
                    ROOM_MESSAGE);

            kafka.awaitAllCommitted(groupId, questionsTopic, Duration.ofMinutes(3));
            List<ConsumerRecord<String, String>> roomMessages =
                    kafka.awaitRecords(agentMessagesTopic, 1, Duration.ofMinutes(1));
            return new Result(sent, kafka.readAll(answersTopic), kafka.readAll(deadLetterTopic), roomMessages);
        } finally {
            main.stop();
        }
    }

    /** What the bridge wrote for the demo's questions and room. */
    record Result(List<RecordMetadata> questions, List<ConsumerRecord<String, String>> answers,
                  List<ConsumerRecord<String, String>> deadLetters,
                  List<ConsumerRecord<String, String>> roomMessages) {

        /** Every question has exactly one outcome (answer or dead letter), and the room's message was published. */
        boolean complete() {
            List<String> outcomes = java.util.stream.Stream.concat(answers.stream(), deadLetters.stream())
                    .map(KafkaTopics::questionOf).sorted().toList();
            List<String> asked = questions.stream().map(m -> m.partition() + "/" + m.offset()).sorted().toList();
            return outcomes.equals(asked) && !roomMessages.isEmpty();
        }

        String summary() {
            StringBuilder text = new StringBuilder("\n=== Kafka <-> Eliza bridge demo ===\n");
            for (int i = 0; i < questions.size(); i++) {
                String id = questions.get(i).partition() + "/" + questions.get(i).offset();
                text.append(String.format("question %s [key %s] \"%s\"%n", id, QUESTIONS.get(i).key(),
                        QUESTIONS.get(i).value()));
                answers.stream().filter(r -> KafkaTopics.questionOf(r).equals(id)).forEach(r -> text.append(
                        String.format("    -> answer [key %s] \"%s\"%n", r.key(), r.value())));
                deadLetters.stream().filter(r -> KafkaTopics.questionOf(r).equals(id)).forEach(r -> text.append(
                        String.format("    -> dead letter: %s%n", KafkaTopics.header(r, BridgeHeaders.ERROR))));
            }
            text.append(String.format("room: visitor said \"%s\"%n", ROOM_MESSAGE));
            roomMessages.forEach(r -> text.append(String.format("    -> agent message on the topic: \"%s\"%n",
                    r.value())));
            text.append(String.format("%d questions: %d answers, %d dead letters; %d room message(s): %s%n",
                    questions.size(), answers.size(), deadLetters.size(), roomMessages.size(),
                    complete() ? "every question has exactly one outcome" : "INCOMPLETE"));
            return text.toString();
        }
    }
}
