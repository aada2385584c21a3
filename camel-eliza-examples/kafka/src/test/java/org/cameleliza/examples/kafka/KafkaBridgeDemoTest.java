package org.cameleliza.examples.kafka;

import java.nio.file.Path;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cameleliza.test.ElizaServerExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The demo's run, against this class's broker and Eliza server: the bridge as deployed (Camel Main,
 * application.properties) answers, dead-letters and publishes what the demo says it does.
 */
class KafkaBridgeDemoTest {

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafkaBroker KAFKA = new EmbeddedKafkaBroker();

    @RegisterExtension
    @Order(2)
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(KafkaBridgeDemo.SUPPORT);

    @TempDir
    Path dataDir;

    @Test
    void theDeployedBridgeGivesEveryQuestionExactlyOneOutcomeAndPublishesTheRoom() throws Exception {
        KafkaBridgeDemo.Result result = KafkaBridgeDemo.run(KAFKA.bootstrapServers(), ELIZA.url(),
                ELIZA.agentId("Support"), dataDir);

        assertThat(result.complete()).as(result.summary()).isTrue();
        assertThat(result.answers()).extracting(ConsumerRecord::key, ConsumerRecord::value).containsExactlyInAnyOrder(
                tuple("alice", "Hello! What can I do for you?"),
                tuple("bob", "Order 4711 left our warehouse this morning."));
        assertThat(result.deadLetters()).extracting(r -> KafkaTopics.header(r, BridgeHeaders.ERROR_CLASS))
                .containsExactlyInAnyOrder("org.apache.camel.ExchangeTimedOutException",
                        "java.lang.IllegalArgumentException");
        // "Hi everyone in the lobby!": the agent's greeting rule
        assertThat(result.roomMessages()).extracting(ConsumerRecord::value)
                .containsExactly("Hello! What can I do for you?");
    }
}
