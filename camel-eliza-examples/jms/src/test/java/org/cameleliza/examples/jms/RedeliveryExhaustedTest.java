package org.cameleliza.examples.jms;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message that can never be sent does not loop forever: after the broker's maxDeliveryAttempts it is in the
 * dead-letter queue. The Eliza server here is one that is not there (nothing listens on the port), as when it is down
 * for longer than the redelivery policy waits.
 */
class RedeliveryExhaustedTest {

    private static final int ATTEMPTS = 3;

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
    void aQuestionThatCannotBeSentEndsInTheDeadLetterQueueAfterTheLastAttempt() throws Exception {
        String nobodyListens = "http://127.0.0.1:" + ElizaTestServer.freePort();
        bridge = new JmsBridgeFixture(JmsBridge.embeddedBroker(brokerData).redelivery(200, 400, ATTEMPTS),
                nobodyListens, UUID.randomUUID().toString());
        bridge.settings.setProperty("eliza.connectTimeout", "1000");
        bridge.addRoutes().start();
        NotifyBuilder everyAttemptFailed = new NotifyBuilder(bridge.camel).fromRoute(TransactedQuestionsRoute.ROUTE_ID)
                .whenFailed(ATTEMPTS).create();

        bridge.producer.sendBody("jms:queue:questions", "Is anybody there?");

        Exchange dead = bridge.consumer.receive("jms:queue:questions.DLQ", Duration.ofMinutes(2).toMillis());
        assertThat(dead).as("the message in the dead-letter queue").isNotNull();
        assertThat(dead.getMessage().getBody(String.class)).isEqualTo("Is anybody there?");
        // moved by the broker, which says where from
        assertThat(dead.getMessage().getHeader("_AMQ_ORIG_ADDRESS", String.class)).isEqualTo("questions");
        assertThat(everyAttemptFailed.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bridge.broker.messageCount("questions")).isZero();
    }
}
