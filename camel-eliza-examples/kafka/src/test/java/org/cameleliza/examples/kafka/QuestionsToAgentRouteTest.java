package org.cameleliza.examples.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.cameleliza.examples.kafka.KafkaTopics.KeyValue;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QuestionsToAgentRoute against a Kafka broker in this JVM (KRaft) and a real elizaOS server whose agent echoes.
 * Each test has topics and a consumer group of its own.
 */
class QuestionsToAgentRouteTest {

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafkaBroker KAFKA = new EmbeddedKafkaBroker();

    @RegisterExtension
    @Order(2)
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(ElizaTestAgent.named("Support"));

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final List<CamelContext> bridges = new ArrayList<>();
    private final FailedExchanges failures = new FailedExchanges();
    private KafkaTopics kafka;
    private String questionsTopic;
    private String answersTopic;
    private String deadLetterTopic;
    private String groupId;

    @BeforeEach
    void createTopics() throws Exception {
        int run = RUNS.incrementAndGet();
        questionsTopic = "questions-" + run;
        answersTopic = "answers-" + run;
        deadLetterTopic = "questions-dlt-" + run;
        groupId = "eliza-bridge-" + run;
        // two partitions: the keys spread over them, and each partition's offset is committed on its own
        EmbeddedKafkaBroker.createTopics(KAFKA.bootstrapServers(),
                Map.of(questionsTopic, 2, answersTopic, 2, deadLetterTopic, 1));
        kafka = new KafkaTopics(KAFKA.bootstrapServers());
    }

    @AfterEach
    void stopBridges() {
        bridges.forEach(CamelContext::stop);
    }

    @Test
    void eachQuestionIsAnsweredInTheConversationOfItsKeyAndCommittedAfterwards() throws Exception {
        startBridge(30_000);
        List<KeyValue> questions = List.of(
                new KeyValue("alice", "Hello, I am Alice"),
                new KeyValue("bob", "Hello, I am Bob"),
                new KeyValue("alice", "Do you remember me?"));

        List<RecordMetadata> sent = kafka.send(questionsTopic, questions);
        kafka.awaitAllCommitted(groupId, questionsTopic, PATIENCE);

        List<ConsumerRecord<String, String>> answers = kafka.readAll(answersTopic);
        assertExactlyOneOutcomeEach(sent, answers, List.of());
        for (ConsumerRecord<String, String> answer : answers) {
            KeyValue question = questionOf(answer, sent, questions);
            assertThat(answer.key()).isEqualTo(question.key());
            assertThat(answer.value()).isEqualTo(expectedAnswer(question.value()));
            // the agent answered in the conversation channel of the key, as the component derives it
            assertThat(KafkaTopics.header(answer, BridgeHeaders.CHANNEL_ID)).isEqualTo(conversationOf(question.key()));
            assertThat(KafkaTopics.header(answer, BridgeHeaders.MESSAGE_ID)).isNotBlank();
            assertThat(KafkaTopics.header(answer, BridgeHeaders.IN_REPLY_TO)).isNotBlank();
        }
        assertThat(conversationOf("alice")).isNotEqualTo(conversationOf("bob"));
        assertThat(kafka.readAll(deadLetterTopic)).isEmpty();
    }

    @Test
    void aQuestionThatCannotBeAnsweredGoesToTheDeadLetterTopicWithTheErrorAndTheStreamGoesOn() throws Exception {
        startBridge(5_000);
        List<KeyValue> questions = List.of(
                new KeyValue("carol", "[ignore] Are you there?"), // the agent decides not to answer
                new KeyValue(null, "Who am I?"),
                new KeyValue("dave", "   "),
                new KeyValue("erin", null), // a record without value
                new KeyValue("carol", "Hello again"));

        List<RecordMetadata> sent = kafka.send(questionsTopic, questions);
        kafka.awaitAllCommitted(groupId, questionsTopic, PATIENCE);

        List<ConsumerRecord<String, String>> answers = kafka.readAll(answersTopic);
        List<ConsumerRecord<String, String>> deadLetters = kafka.readAll(deadLetterTopic);
        assertExactlyOneOutcomeEach(sent, answers, deadLetters);
        assertThat(answers).singleElement().satisfies(answer -> {
            assertThat(answer.key()).isEqualTo("carol");
            assertThat(answer.value()).isEqualTo(expectedAnswer("Hello again"));
        });
        assertThat(deadLetters).hasSize(4).allSatisfy(deadLetter -> {
            KeyValue question = questionOf(deadLetter, sent, questions);
            // the question as it came, with the reason
            assertThat(deadLetter.key()).isEqualTo(question.key());
            assertThat(deadLetter.value()).isEqualTo(question.value());
            assertThat(KafkaTopics.header(deadLetter, BridgeHeaders.ERROR)).isNotBlank();
            assertThat(KafkaTopics.header(deadLetter, BridgeHeaders.QUESTION_TOPIC)).isEqualTo(questionsTopic);
        });
        assertThat(deadLetters).extracting(r -> KafkaTopics.header(r, BridgeHeaders.ERROR_CLASS))
                .containsExactlyInAnyOrder("org.apache.camel.ExchangeTimedOutException",
                        "java.lang.IllegalArgumentException",
                        "org.cameleliza.component.eliza.ElizaInvalidMessageException",
                        "org.cameleliza.component.eliza.ElizaInvalidMessageException");
        assertThat(deadLetters).filteredOn(r -> r.key() == null).singleElement()
                .satisfies(r -> assertThat(KafkaTopics.header(r, BridgeHeaders.ERROR)).contains("no record key"));
    }

    @Test
    void noQuestionIsLostWhenElizaStopsMidStreamAndTheApplicationRestartsMeanwhile() throws Exception {
        CamelContext bridge = startBridge(8_000);
        List<KeyValue> questions = List.of(
                new KeyValue("alice", "[slow:3000] Are you thinking?"), // in flight when the server stops
                new KeyValue("bob", "Hello, I am Bob"), // the others come while it is down
                new KeyValue("alice", "Still there?"),
                new KeyValue("carol", "Hello, I am Carol"));
        List<RecordMetadata> sent = new ArrayList<>(kafka.send(questionsTopic, questions.subList(0, 1)));
        awaitInFlight(bridge);
        // the question reaches the server (its ack takes milliseconds), then the server goes while the agent thinks
        Thread.sleep(1000);
        ElizaTestServer eliza = ELIZA.server();
        eliza.stop();
        try {
            sent.addAll(kafka.send(questionsTopic, questions.subList(1, questions.size())));
            // the bridge tries, gives up on the record for now (unhandled: seek back, poll again), and tries again
            Instant deadline = Instant.now().plus(PATIENCE);
            while (failures.count() < 2) {
                assertCommittedOnlyWithOutcome(sent);
                assertThat(Instant.now()).as("the bridge retried while Eliza was down").isBefore(deadline);
                Thread.sleep(1000);
            }
            assertCommittedOnlyWithOutcome(sent);
            // none of the questions that came during the outage can have been answered yet
            assertThat(kafka.readAll(answersTopic)).extracting(KafkaTopics::questionOf)
                    .as("answered while Eliza was down").isSubsetOf(idOf(sent.get(0)));

            // the application stops, with questions not answered and so not committed
            bridge.stop();
            assertCommittedOnlyWithOutcome(sent);
        } finally {
            eliza.start();
        }

        // the application comes back and takes up where its group committed
        startBridge(8_000);
        kafka.awaitAllCommitted(groupId, questionsTopic, PATIENCE);

        List<ConsumerRecord<String, String>> answers = kafka.readAll(answersTopic);
        List<ConsumerRecord<String, String>> deadLetters = kafka.readAll(deadLetterTopic);
        assertExactlyOneOutcomeEach(sent, answers, deadLetters);
        // the question in flight when the server stopped: answered after all, or timed out (the agent's turn died
        // with the server), never both, never neither; the others were never dropped and are answered
        assertThat(deadLetters).allSatisfy(deadLetter -> {
            assertThat(KafkaTopics.questionOf(deadLetter)).isEqualTo(idOf(sent.get(0)));
            assertThat(KafkaTopics.header(deadLetter, BridgeHeaders.ERROR_CLASS))
                    .isEqualTo("org.apache.camel.ExchangeTimedOutException");
        });
        for (ConsumerRecord<String, String> answer : answers) {
            KeyValue question = questionOf(answer, sent, questions);
            assertThat(answer.key()).isEqualTo(question.key());
            assertThat(answer.value()).isEqualTo(expectedAnswer(question.value()));
        }
    }

    private CamelContext startBridge(long replyTimeoutMillis) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("eliza.agentId", ELIZA.agentId("Support"));
        properties.setProperty("bridge.questionsTopic", questionsTopic);
        properties.setProperty("bridge.answersTopic", answersTopic);
        properties.setProperty("bridge.deadLetterTopic", deadLetterTopic);
        properties.setProperty("bridge.groupId", groupId);
        properties.setProperty("bridge.replyTimeout", Long.toString(replyTimeoutMillis));
        CamelContext bridge = BridgeCamel.start("eliza-kafka-bridge", KAFKA.bootstrapServers(), ELIZA.url(),
                properties, failures, new QuestionsToAgentRoute());
        bridges.add(bridge);
        return bridge;
    }

    /** Every question has exactly one outcome record (an answer or a dead letter), and there is no other. */
    private static void assertExactlyOneOutcomeEach(List<RecordMetadata> sent,
                                                    List<ConsumerRecord<String, String>> answers,
                                                    List<ConsumerRecord<String, String>> deadLetters) {
        List<String> outcomes = new ArrayList<>();
        answers.forEach(r -> outcomes.add(KafkaTopics.questionOf(r)));
        deadLetters.forEach(r -> outcomes.add(KafkaTopics.questionOf(r)));
        assertThat(outcomes).as("questions of the answers %s and dead letters %s", KafkaTopics.describe(answers),
                        KafkaTopics.describe(deadLetters))
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(m -> m.partition() + "/" + m.offset()).toList());
    }

    /**
     * The at-least-once invariant, at any moment: a question whose offset is committed has its outcome on Kafka.
     * The offsets are read first: what was committed before that had its outcome written before.
     */
    private void assertCommittedOnlyWithOutcome(List<RecordMetadata> sent) throws Exception {
        Map<Integer, Long> committed = kafka.committedOffsets(groupId, questionsTopic);
        List<String> outcomes = new ArrayList<>();
        kafka.readAll(answersTopic).forEach(r -> outcomes.add(KafkaTopics.questionOf(r)));
        kafka.readAll(deadLetterTopic).forEach(r -> outcomes.add(KafkaTopics.questionOf(r)));
        for (RecordMetadata question : sent) {
            String id = question.partition() + "/" + question.offset();
            if (committed.get(question.partition()) > question.offset()) {
                assertThat(outcomes).as("question %s is committed (%s)", id, committed).contains(id);
            }
        }
    }

    private static String idOf(RecordMetadata question) {
        return question.partition() + "/" + question.offset();
    }

    private void awaitInFlight(CamelContext bridge) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (bridge.getInflightRepository().size(QuestionsToAgentRoute.ROUTE_ID) == 0) {
            assertThat(Instant.now()).as("the bridge took the first question").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static KeyValue questionOf(ConsumerRecord<String, String> outcome, List<RecordMetadata> sent,
                                       List<KeyValue> questions) {
        for (int i = 0; i < sent.size(); i++) {
            if (KafkaTopics.questionOf(outcome).equals(sent.get(i).partition() + "/" + sent.get(i).offset())) {
                return questions.get(i);
            }
        }
        throw new AssertionError("No question " + KafkaTopics.questionOf(outcome));
    }

    private static String expectedAnswer(String question) {
        return ElizaTestServer.expectedReply(ELIZA.server().agent("Support"), question);
    }

    /** The conversation channel of a key, as docs/eliza-component.md defines it. */
    private static String conversationOf(String key) {
        UUID channel = UUID.nameUUIDFromBytes("camel-eliza:channel:support".getBytes(StandardCharsets.UTF_8));
        return UUID.nameUUIDFromBytes(("camel-eliza:conversation:" + channel + ":" + ELIZA.agentId("Support") + ":"
                + key).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Counts the exchanges that failed unhandled: records left uncommitted for camel-kafka to poll again. */
    static final class FailedExchanges extends EventNotifierSupport {

        private final AtomicInteger failed = new AtomicInteger();

        FailedExchanges() {
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
        }

        int count() {
            return failed.get();
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeFailedEvent) {
                failed.incrementAndGet();
            }
        }
    }
}
