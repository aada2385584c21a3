package org.cameleliza.examples.jms;

import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.cameleliza.component.eliza.ElizaConstants;

/**
 * JMS request-reply: a request with a JMSReplyTo is asked to the agent, and the agent's answer goes back to the
 * JMSReplyTo destination (with the request's JMSCorrelationID, or its JMSMessageID when it has none). A request the
 * agent cannot answer (bad input, Eliza down, no answer within eliza.replyTimeout) is answered too, with the error: the
 * requester never waits in vain. A request without JMSReplyTo has nobody to answer and goes to the dead-letter queue.
 */
public class AgentRequestReplyRoute extends RouteBuilder {

    public static final String ROUTE_ID = "jms-ask-eliza";
    /** On an error reply: the simple name of the exception (a JMS property). */
    public static final String ERROR = "ElizaError";
    /** On an answer: the server's id of the agent's message (a JMS property). */
    public static final String ANSWER_MESSAGE_ID = "ElizaMessageId";

    @Override
    public void configure() {
        // tag::route[]
        from("jms:queue:{{jms.ask}}?errorHandlerLoggingLevel=WARN&errorHandlerLogStackTrace=false")
                .routeId(ROUTE_ID)
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.WARN,
                            "Request ${header.JMSMessageID} answered with an error: ${exception.message}")
                    .setHeader(ERROR, simple("${exception.class.simpleName}"))
                    .setBody(simple("The agent could not answer: ${exception.message}"))
                .end()
                .choice()
                    .when(header("JMSReplyTo").isNull())
                        .setHeader(TransactedQuestionsRoute.DEAD_LETTER_REASON,
                                constant("No JMSReplyTo: nobody to send the answer to"))
                        .log(LoggingLevel.WARN, "Request ${header.JMSMessageID} has no JMSReplyTo, moved to "
                                                + "{{jms.ask.deadLetters}}")
                        .to(ExchangePattern.InOnly, "jms:queue:{{jms.ask.deadLetters}}")
                    .otherwise()
                        // InOut: completes with the agent's answer to this very question
                        .to(ExchangePattern.InOut, "eliza:{{eliza.ask.channel}}?agentId={{eliza.agentId}}"
                                                   + "&replyTimeout={{eliza.replyTimeout}}")
                        .setHeader(ANSWER_MESSAGE_ID, header(ElizaConstants.MESSAGE_ID))
                        .log("Request ${header.JMSMessageID} answered by the agent")
                .end();
        // end::route[]
    }
}
