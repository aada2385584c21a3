package org.cameleliza.examples.kafka;

/**
 * The Kafka record headers the bridge writes (all values are UTF-8 strings, readable with
 * {@code kafka-console-consumer --property print.headers=true}).
 */
public final class BridgeHeaders {

    /** On an answer or a dead letter: the topic of the question it belongs to. */
    public static final String QUESTION_TOPIC = "question-topic";
    /** On an answer or a dead letter: the partition of the question. */
    public static final String QUESTION_PARTITION = "question-partition";
    /** On an answer or a dead letter: the offset of the question, so every question can be matched to its outcome. */
    public static final String QUESTION_OFFSET = "question-offset";
    /** On a dead letter: why the question was not answered (the exception's message). */
    public static final String ERROR = "eliza-error";
    /** On a dead letter: the exception's class, e.g. org.apache.camel.ExchangeTimedOutException. */
    public static final String ERROR_CLASS = "eliza-error-class";
    /** The Eliza server's id of the message (the agent's answer, or the agent's message in the room). */
    public static final String MESSAGE_ID = "eliza-message-id";
    /** On an answer: the Eliza server's id of the question it answers. */
    public static final String IN_REPLY_TO = "eliza-in-reply-to";
    /** The Eliza channel the message was posted in: on an answer, the conversation of the record's key. */
    public static final String CHANNEL_ID = "eliza-channel-id";
    /** On a room message: the entity (agent) that posted it. */
    public static final String SENDER_ID = "eliza-sender-id";
    /** On a room message: true when it was posted while the bridge was away and read back on its return. */
    public static final String RECOVERED = "eliza-recovered";

    private BridgeHeaders() {
    }
}
