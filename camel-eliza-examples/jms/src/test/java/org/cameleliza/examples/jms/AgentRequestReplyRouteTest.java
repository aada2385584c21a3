package org.cameleliza.examples.jms;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.Exchange;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** JMS request-reply through the route, answered by a real agent on a real Eliza server. */
class AgentRequestReplyRouteTest {

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(
            ElizaTestAgent.named("Support").when("opening hours", "We are open from 9 to 5."));

    private static final long GENEROUS_MILLIS = Duration.ofMinutes(1).toMillis();

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
    void aCamelRequesterGetsTheAgentsAnswer() throws Exception {
        startBridge();

        Exchange reply = bridge.producer.request("jms:queue:ask",
                e -> e.getMessage().setBody("What are your opening hours?"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo("We are open from 9 to 5.");
        assertThat(reply.getMessage().getHeader(AgentRequestReplyRoute.ANSWER_MESSAGE_ID, String.class)).isNotBlank();
        assertThat(reply.getMessage().getHeader(AgentRequestReplyRoute.ERROR)).isNull();
    }

    @Test
    void aPlainJmsClientGetsTheAnswerOnItsReplyToQueueWithItsCorrelationId() throws Exception {
        startBridge();
        try (Connection connection = bridge.broker.connectionFactory().createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue answers = session.createQueue("answers");
            TextMessage request = session.createTextMessage("Can I return a parcel?");
            request.setJMSReplyTo(answers);
            request.setJMSCorrelationID("ticket-4711");
            try (MessageProducer producer = session.createProducer(session.createQueue("ask"));
                 MessageConsumer consumer = session.createConsumer(answers, "JMSCorrelationID = 'ticket-4711'")) {
                producer.send(request);

                Message answer = consumer.receive(GENEROUS_MILLIS);

                assertThat(answer).as("the answer on the JMSReplyTo queue").isInstanceOf(TextMessage.class);
                assertThat(textOf(answer)).isEqualTo("Support echoes: Can I return a parcel?");
                assertThat(answer.getJMSCorrelationID()).isEqualTo("ticket-4711");
            }
        }
    }

    @Test
    void aRequestTheAgentDoesNotAnswerInTimeIsAnsweredWithAnError() throws Exception {
        bridge = JmsBridgeFixture.withDefaultBroker(brokerData, ELIZA.url(), ELIZA.agentId("Support"));
        bridge.settings.setProperty("eliza.replyTimeout", "2000");
        bridge.addRoutes().start();

        // the test agent thinks 10 s about this one
        Exchange reply = bridge.producer.request("jms:queue:ask", e -> e.getMessage().setBody("[slow:10000] Hello?"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader(AgentRequestReplyRoute.ERROR)).isEqualTo("ExchangeTimedOutException");
        assertThat(reply.getMessage().getBody(String.class)).startsWith("The agent could not answer:")
                .contains("replyTimeout");
    }

    @Test
    void aBlankRequestIsAnsweredWithAnError() throws Exception {
        startBridge();

        Exchange reply = bridge.producer.request("jms:queue:ask", e -> e.getMessage().setBody("  "));

        assertThat(reply.getMessage().getHeader(AgentRequestReplyRoute.ERROR))
                .isEqualTo("ElizaInvalidMessageException");
        assertThat(reply.getMessage().getBody(String.class)).contains("empty message");
    }

    @Test
    void aRequestWithoutReplyToGoesToTheDeadLetterQueue() throws Exception {
        startBridge();

        bridge.producer.sendBody("jms:queue:ask", "Who will read this answer?");

        Exchange dead = bridge.consumer.receive("jms:queue:ask.DLQ", GENEROUS_MILLIS);
        assertThat(dead.getMessage().getBody(String.class)).isEqualTo("Who will read this answer?");
        assertThat(dead.getMessage().getHeader(TransactedQuestionsRoute.DEAD_LETTER_REASON, String.class))
                .contains("No JMSReplyTo");
    }

    private void startBridge() throws Exception {
        bridge = JmsBridgeFixture.withDefaultBroker(brokerData, ELIZA.url(), ELIZA.agentId("Support"))
                .addRoutes().start();
    }

    private static String textOf(Message message) throws JMSException {
        return ((TextMessage) message).getText();
    }
}
