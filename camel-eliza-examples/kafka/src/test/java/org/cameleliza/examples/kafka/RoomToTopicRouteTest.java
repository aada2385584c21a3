package org.cameleliza.examples.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RoomToTopicRoute against a Kafka broker in this JVM (KRaft) and a real elizaOS server: a visitor talks to the agent
 * in a room, and the agent's messages must reach the topic, each once, also those posted while the bridge was down.
 */
class RoomToTopicRouteTest {

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafkaBroker KAFKA = new EmbeddedKafkaBroker();

    @RegisterExtension
    @Order(2)
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(ElizaTestAgent.named("Host"));

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    private final List<CamelContext> contexts = new ArrayList<>();
    private KafkaTopics kafka;
    private String room;
    private String topic;
    private ProducerTemplate visitor;

    @BeforeEach
    void setUp() throws Exception {
        int run = RUNS.incrementAndGet();
        room = "lobby-" + run;
        topic = "agent-messages-" + run;
        EmbeddedKafkaBroker.createTopics(KAFKA.bootstrapServers(), Map.of(topic, 1));
        kafka = new KafkaTopics(KAFKA.bootstrapServers());
        // someone else in the room: a client of its own, as a user of a chat front end would be
        CamelContext visitorContext = BridgeCamel.start("visitor", KAFKA.bootstrapServers(), ELIZA.url(),
                new Properties(), null);
        contexts.add(visitorContext);
        visitor = visitorContext.createProducerTemplate();
    }

    @AfterEach
    void stopAll() {
        contexts.forEach(CamelContext::stop);
    }

    @Test
    void everyAgentMessageOfTheRoomIsPublishedOnceKeyedByTheRoom() throws Exception {
        CamelContext bridge = startBridge();
        ask("Hello, who is there?");
        ask("What is on today?");

        kafka.awaitRecords(topic, 2, PATIENCE);
        // a graceful stop routes what the consumer already received: after it, the topic holds all it ever will
        bridge.stop();

        List<ConsumerRecord<String, String>> published = kafka.readAll(topic);
        assertThat(published).extracting(ConsumerRecord::value)
                .containsExactly(expectedAnswer("Hello, who is there?"), expectedAnswer("What is on today?"));
        assertThat(published).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(channelOf(room));
            assertThat(KafkaTopics.header(record, BridgeHeaders.SENDER_ID)).isEqualTo(ELIZA.agentId("Host"));
            assertThat(KafkaTopics.header(record, BridgeHeaders.RECOVERED)).isEqualTo("false");
        });
        assertThat(published).extracting(r -> KafkaTopics.header(r, BridgeHeaders.MESSAGE_ID))
                .doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void whatTheAgentPostedWhileTheBridgeWasDownIsPublishedOnItsReturn() throws Exception {
        CamelContext bridge = startBridge();
        ask("First question");
        kafka.awaitRecords(topic, 1, PATIENCE);
        bridge.stop();

        // the agent goes on talking in the room while the bridge is away
        ask("Second question");
        ask("Third question");

        // back, with the same file of published message ids
        CamelContext returned = startBridge();
        kafka.awaitRecords(topic, 3, PATIENCE);
        returned.stop();

        List<ConsumerRecord<String, String>> published = kafka.readAll(topic);
        assertThat(published).extracting(ConsumerRecord::value).containsExactly(
                expectedAnswer("First question"), expectedAnswer("Second question"), expectedAnswer("Third question"));
        assertThat(published).extracting(r -> KafkaTopics.header(r, BridgeHeaders.RECOVERED))
                .containsExactly("false", "true", "true");
        assertThat(published).extracting(r -> KafkaTopics.header(r, BridgeHeaders.MESSAGE_ID))
                .doesNotHaveDuplicates();
    }

    private CamelContext startBridge() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("eliza.agentId", ELIZA.agentId("Host"));
        properties.setProperty("bridge.room", room);
        properties.setProperty("bridge.agentMessagesTopic", topic);
        properties.setProperty("bridge.seenMessagesFile", dataDir.resolve("seen.dat").toString());
        properties.setProperty("bridge.placeFile", dataDir.resolve("place.dat").toString());
        CamelContext bridge = BridgeCamel.start("eliza-kafka-bridge", KAFKA.bootstrapServers(), ELIZA.url(),
                properties, null, new RoomToTopicRoute());
        contexts.add(bridge);
        return bridge;
    }

    /** The visitor asks the agent in the room and waits for its answer (so the messages come in a known order). */
    private void ask(String question) {
        String answer = visitor.requestBody("eliza:" + room + "?agentId=" + ELIZA.agentId("Host")
                + "&requestReply=true", question, String.class);
        assertThat(answer).isEqualTo(expectedAnswer(question));
    }

    private static String expectedAnswer(String question) {
        return ElizaTestServer.expectedReply(ELIZA.server().agent("Host"), question);
    }

    private static String channelOf(String name) {
        return UUID.nameUUIDFromBytes(("camel-eliza:channel:" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
