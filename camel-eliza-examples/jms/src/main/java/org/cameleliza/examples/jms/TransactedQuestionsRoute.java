package org.cameleliza.examples.jms;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;

/**
 * Questions from a JMS queue to the agent's channel, in a JMS transaction: a message is committed only once the Eliza
 * server acknowledged it; a failed send rolls the transaction back and the broker delivers the message again (after
 * its redelivery delay, at most its maxDeliveryAttempts times, then to the dead-letter queue). Bad input goes to the
 * dead-letter queue at once: no retry can make it valid.
 */
public class TransactedQuestionsRoute extends RouteBuilder {

    public static final String ROUTE_ID = "jms-questions-to-eliza";
    /** Why a message is in the dead-letter queue (a JMS property). */
    public static final String DEAD_LETTER_REASON = "ElizaDeadLetterReason";

    @Override
    public void configure() {
        // tag::route[]
        // the broker redelivers: Camel does not retry on its own, and logs each failure without a stack trace
        errorHandler(defaultErrorHandler().logStackTrace(false).logExhaustedMessageHistory(false)
                .retriesExhaustedLogLevel(LoggingLevel.WARN));

        onException(ElizaInvalidMessageException.class)
                .handled(true)
                .setHeader(DEAD_LETTER_REASON, simple("${exception.message}"))
                .log(LoggingLevel.WARN, "Question ${header.JMSMessageID} cannot be sent to Eliza, moved to "
                                        + "{{jms.questions.deadLetters}}: ${exception.message}")
                // in the listener's JMS transaction: committed together with the consumption
                .to("jms:queue:{{jms.questions.deadLetters}}");

        from("jms:queue:{{jms.questions}}?transacted=true&lazyCreateTransactionManager=false&disableReplyTo=true"
             + "&errorHandlerLoggingLevel=WARN&errorHandlerLogStackTrace=false")
                .routeId(ROUTE_ID)
                .process(TransactedQuestionsRoute::useJmsMessageIdAsClientMessageId)
                .filter(header("JMSRedelivered").isEqualTo(true))
                    .process(new ElizaStoredMessageCheck(getCamelContext().resolvePropertyPlaceholders(
                            "{{eliza.questions.channel}}")))
                .end()
                .choice()
                    .when(exchangeProperty(ElizaStoredMessageCheck.STORED_MESSAGE_ID).isNotNull())
                        .log("Question ${header.JMSMessageID} was stored by Eliza on an earlier delivery (as "
                             + "${exchangeProperty.ElizaStoredMessageId}): not sent again")
                    .otherwise()
                        // InOnly: completes on the server's acknowledgement, not on the agent's answer
                        .to("eliza:{{eliza.questions.channel}}?agentId={{eliza.agentId}}&requestReply=false")
                        .log("Question ${header.JMSMessageID} stored by Eliza as ${header.CamelElizaMessageId}")
                .end();
        // end::route[]
    }

    /**
     * The JMS message id is the same on every delivery of a message, so the client message id derived from it is too:
     * the server keeps it with the message, and a redelivery can ask whether it has it. It is set as the producer's
     * input header, CamelElizaOverrideClientMessageId, which the producer reads and removes (it never reads its output,
     * CamelElizaClientMessageId).
     */
    static void useJmsMessageIdAsClientMessageId(Exchange exchange) {
        String jmsMessageId = exchange.getMessage().getHeader("JMSMessageID", String.class);
        if (jmsMessageId != null) {
            exchange.getMessage().setHeader(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID, UUID.nameUUIDFromBytes(
                    ("camel-eliza-jms:" + jmsMessageId).getBytes(StandardCharsets.UTF_8)).toString());
        }
    }
}
