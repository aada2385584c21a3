package org.cameleliza.examples.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Questions topic -> agent -> answers topic, at least once.
 * <p>
 * Each record's key names a conversation: the agent talks to every key in a channel of its own (the component's
 * {@code CamelElizaConversationKey}), and the answer record keeps the question's key. A record's offset is committed
 * only once its outcome is on Kafka: the answer on the answers topic, or the question on the dead-letter topic with the
 * error in a header. When Eliza (or Kafka) cannot be reached, the record is neither answered nor dead-lettered nor
 * committed: camel-kafka's {@code breakOnFirstError} seeks back to it and polls it again until it goes through, and an
 * application that stops meanwhile starts again from it.
 * <p>
 * Properties: {@code eliza.agentId} (required); {@code bridge.questionsTopic}, {@code bridge.answersTopic},
 * {@code bridge.deadLetterTopic}, {@code bridge.groupId}, {@code bridge.channel}, {@code bridge.replyTimeout}
 * (milliseconds). The brokers and the Eliza server are the components' settings
 * ({@code camel.component.kafka.brokers}, {@code camel.component.eliza.url}).
 */
public class QuestionsToAgentRoute extends RouteBuilder {

    public static final String ROUTE_ID = "questions-to-agent";

    private static final Logger LOG = LoggerFactory.getLogger(QuestionsToAgentRoute.class);

    @Override
    public void configure() {
        // tag::route[]
        // Eliza or Kafka unreachable, or Eliza refusing our credentials: the question is not at fault, so it must
        // neither be dead-lettered nor committed. A few retries here, then the exchange fails and camel-kafka
        // (breakOnFirstError) seeks back to the record and polls it again: the stream waits, nothing is skipped.
        onException(ElizaConnectionException.class, ElizaAuthenticationException.class, RetriableException.class)
                .maximumRedeliveries(3).redeliveryDelay(1000).useExponentialBackOff().backOffMultiplier(2)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false)
                .handled(false)
                // a stopping application does not wait for the retries: the record stays uncommitted for the next start
                .getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);

        // Any other failure is the question's own (no key, blank text, no answer within bridge.replyTimeout, the
        // server refused it): the original record goes to the dead-letter topic with the error, then it is
        // committed. Should the dead-letter topic be unwritable too, the exchange fails and the record is polled again.
        onException(Exception.class)
                .handled(true)
                .useOriginalMessage()
                .logExhausted(false)
                .process(QuestionsToAgentRoute::tagWithQuestion)
                .process(QuestionsToAgentRoute::tagWithError)
                .to("kafka:{{bridge.deadLetterTopic:questions-dlt}}")
                .process(QuestionsToAgentRoute::commitQuestion);

        from("kafka:{{bridge.questionsTopic:questions}}"
                + "?groupId={{bridge.groupId:eliza-bridge}}"
                + "&autoOffsetReset=earliest"
                // the route commits, and only after the outcome was written
                + "&autoCommitEnable=false&allowManualCommit=true"
                // a failed record is not skipped: the consumer seeks back to it and polls it again
                + "&breakOnFirstError=true"
                // one record per poll: the time between polls stays one question's (at most bridge.replyTimeout
                // plus the retries), far below max.poll.interval.ms (5 minutes)
                + "&maxPollRecords=1")
                .routeId(ROUTE_ID)
                .process(QuestionsToAgentRoute::requireConversationKey)
                .setHeader(ElizaConstants.CONVERSATION_KEY, header(KafkaConstants.KEY))
                // names an agent: the exchange (InOnly, from Kafka) gets the agent's answer as its body
                .to("eliza:{{bridge.channel:support}}?agentId={{eliza.agentId}}"
                        + "&replyTimeout={{bridge.replyTimeout:60000}}")
                // only elizaOS 1.4 and older say so; a null value would be a tombstone on the answers topic
                .filter(body().isNull())
                    .throwException(IllegalStateException.class, "The agent finished its turn without answering")
                .end()
                .process(QuestionsToAgentRoute::tagWithQuestion)
                .setHeader(BridgeHeaders.MESSAGE_ID, header(ElizaConstants.MESSAGE_ID))
                .setHeader(BridgeHeaders.IN_REPLY_TO, header(ElizaConstants.IN_REPLY_TO))
                .setHeader(BridgeHeaders.CHANNEL_ID, header(ElizaConstants.CHANNEL_ID))
                // the record key is the kafka.KEY header, still the question's: the answer keeps its conversation
                .to("kafka:{{bridge.answersTopic:answers}}")
                .process(QuestionsToAgentRoute::commitQuestion);
        // end::route[]
    }

    /** A question without a key has no conversation to go to: it is refused rather than merged with other users'. */
    static void requireConversationKey(Exchange exchange) {
        Object key = exchange.getMessage().getHeader(KafkaConstants.KEY);
        if (key == null || key.toString().isBlank()) {
            throw new IllegalArgumentException(
                    "The question has no record key: the key names the conversation (a user, a thread) and is the"
                            + " key of the answer");
        }
    }

    /** Headers naming the question an outcome belongs to, as strings so that any Kafka tool can read them. */
    static void tagWithQuestion(Exchange exchange) {
        var message = exchange.getMessage();
        message.setHeader(BridgeHeaders.QUESTION_TOPIC, message.getHeader(KafkaConstants.TOPIC, String.class));
        message.setHeader(BridgeHeaders.QUESTION_PARTITION, message.getHeader(KafkaConstants.PARTITION, String.class));
        message.setHeader(BridgeHeaders.QUESTION_OFFSET, message.getHeader(KafkaConstants.OFFSET, String.class));
    }

    /** The reason a question is dead-lettered: the exception that ended its exchange, also logged. */
    static void tagWithError(Exchange exchange) {
        var message = exchange.getMessage();
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Question {}/{} (key {}) goes to the dead-letter topic: {}", message.getHeader(KafkaConstants.PARTITION),
                message.getHeader(KafkaConstants.OFFSET), message.getHeader(KafkaConstants.KEY), error.toString());
        message.setHeader(BridgeHeaders.ERROR, String.valueOf(error.getMessage()));
        message.setHeader(BridgeHeaders.ERROR_CLASS, error.getClass().getName());
    }

    /**
     * Commits the question's offset (synchronously) once its outcome is written. A failed commit is logged, not
     * thrown: the outcome is on Kafka already, and failing the exchange would dead-letter an answered question. The
     * record is then answered again after the next rebalance or restart, unless a later commit covers it: at least once.
     */
    static void commitQuestion(Exchange exchange) {
        var message = exchange.getMessage();
        KafkaManualCommit commit = message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        try {
            commit.commit();
        } catch (KafkaException e) {
            LOG.warn("Could not commit question {}/{} (its outcome is written; it may be answered again): {}",
                    message.getHeader(KafkaConstants.PARTITION), message.getHeader(KafkaConstants.OFFSET),
                    e.getMessage());
        }
    }
}
