package org.cameleliza.examples.jms;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.cameleliza.examples.jms.ElizaChannelHistory.Stored;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.apache.camel.builder.Builder.exchangeProperty;
import static org.apache.camel.builder.Builder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transacted route against a real Eliza server and a real embedded broker: what the server stored is read back
 * over its REST API and compared with what was put on the queue.
 */
class TransactedQuestionsRouteTest {

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(ElizaTestAgent.named("Support"));

    private static final Duration GENEROUS = Duration.ofMinutes(3);

    @TempDir
    Path brokerData;

    private JmsBridgeFixture bridge;

    @AfterEach
    void stopBridge() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void everyQuestionReachesTheChannelExactlyOnceThroughAnElizaOutage() throws Exception {
        bridge = JmsBridgeFixture.withDefaultBroker(brokerData, ELIZA.url(), agentId()).addRoutes().start();
        NotifyBuilder rolledBack = new NotifyBuilder(bridge.camel).fromRoute(TransactedQuestionsRoute.ROUTE_ID)
                .whenFailed(1).create();
        NotifyBuilder redeliveredAndCommitted = new NotifyBuilder(bridge.camel)
                .fromRoute(TransactedQuestionsRoute.ROUTE_ID).filter(header("JMSRedelivered").isEqualTo(true))
                .whenCompleted(1).create();
        List<String> sent = new ArrayList<>();

        // the stream flows: these are committed once the server acknowledged them
        send(sent, 1, 4);
        awaitQuestionsStored(4);

        // four more, and the server stops while they flow: each was either acknowledged before, or fails
        send(sent, 5, 8);
        ELIZA.server().stop();
        try {
            // and four while it is down: their sends fail, the transactions roll back, the broker keeps them
            send(sent, 9, 12);
            assertThat(rolledBack.matches(GENEROUS.toMillis(), TimeUnit.MILLISECONDS))
                    .as("a send failed and its transaction rolled back").isTrue();
        } finally {
            ELIZA.server().start();
        }
        send(sent, 13, 16);

        // every message committed: none left on the queue (waiting, scheduled for redelivery or in a transaction)
        await().atMost(GENEROUS).until(() -> bridge.broker.messageCount("questions") == 0);
        List<Stored> stored = questionsStored();
        assertThat(stored).extracting(Stored::text).as("nothing lost, nothing twice")
                .containsExactlyInAnyOrderElementsOf(sent);
        assertThat(stored).extracting(Stored::clientMessageId).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(bridge.broker.messageCount("questions.DLQ")).isZero();
        assertThat(redeliveredAndCommitted.matches()).as("a rolled back message was redelivered and committed")
                .isTrue();
    }

    @Test
    void aQuestionStoredBeforeItsTransactionRolledBackIsNotSentAgain() throws Exception {
        bridge = JmsBridgeFixture.withDefaultBroker(brokerData, ELIZA.url(), agentId()).addRoutes();
        // the first delivery fails after the server acknowledged the message, before the JMS commit: the broker
        // delivers the message again, as after a crash at that moment
        AtomicBoolean crashed = new AtomicBoolean();
        AdviceWith.adviceWith(bridge.camel, TransactedQuestionsRoute.ROUTE_ID, route -> route
                .weaveByToUri("eliza:*").after().process(exchange -> {
                    if (crashed.compareAndSet(false, true)) {
                        throw new IllegalStateException("Simulated crash between Eliza's ack and the JMS commit");
                    }
                }));
        bridge.start();
        NotifyBuilder recognised = new NotifyBuilder(bridge.camel).fromRoute(TransactedQuestionsRoute.ROUTE_ID)
                .filter(exchangeProperty(ElizaStoredMessageCheck.STORED_MESSAGE_ID).isNotNull())
                .whenCompleted(1).create();

        bridge.producer.sendBody("jms:queue:questions", "Was this stored twice?");

        await().atMost(GENEROUS).until(() -> crashed.get() && bridge.broker.messageCount("questions") == 0);
        assertThat(questionsStored()).extracting(Stored::text).as("stored once")
                .containsExactly("Was this stored twice?");
        assertThat(recognised.matches()).as("the redelivery found the message stored by the first delivery").isTrue();
    }

    @Test
    void badInputGoesToTheDeadLetterQueueAtOnceWithTheReason() throws Exception {
        bridge = JmsBridgeFixture.withDefaultBroker(brokerData, ELIZA.url(), agentId()).addRoutes().start();
        String tooLarge = "x".repeat(1_100_000);

        bridge.producer.sendBody("jms:queue:questions", "   ");
        bridge.producer.sendBody("jms:queue:questions", tooLarge);
        bridge.producer.sendBody("jms:queue:questions", "A fine question after the bad ones");

        Exchange blank = bridge.consumer.receive("jms:queue:questions.DLQ", GENEROUS.toMillis());
        Exchange large = bridge.consumer.receive("jms:queue:questions.DLQ", GENEROUS.toMillis());
        assertThat(blank.getMessage().getBody(String.class)).isEqualTo("   ");
        assertThat(blank.getMessage().getHeader(TransactedQuestionsRoute.DEAD_LETTER_REASON, String.class))
                .contains("empty message");
        assertThat(large.getMessage().getBody(String.class)).isEqualTo(tooLarge);
        assertThat(large.getMessage().getHeader(TransactedQuestionsRoute.DEAD_LETTER_REASON, String.class))
                .contains("maxMessageSize");
        // moved at once by the route (the broker would move them only after ten deliveries, without a reason), and
        // the queue goes on with the next message
        awaitQuestionsStored(1);
        assertThat(questionsStored()).extracting(Stored::text).containsExactly("A fine question after the bad ones");
        assertThat(bridge.broker.messageCount("questions")).isZero();
    }

    private void send(List<String> sent, int from, int to) {
        for (int i = from; i <= to; i++) {
            String question = "Question " + i + " of the stream";
            bridge.producer.sendBody("jms:queue:questions", question);
            sent.add(question);
        }
    }

    /** Polls the server's REST API once a second: it allows a client 1000 requests per 15 minutes. */
    private void awaitQuestionsStored(int count) {
        await().atMost(GENEROUS).pollInterval(Duration.ofSeconds(1)).until(() -> questionsStored().size() == count);
    }

    private List<Stored> questionsStored() throws Exception {
        return ElizaChannelHistory.questions(ELIZA.url(), bridge.questionsChannel, agentId());
    }

    private static String agentId() {
        return ELIZA.agentId("Support");
    }
}
