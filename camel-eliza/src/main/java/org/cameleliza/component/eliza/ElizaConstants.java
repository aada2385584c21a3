package org.cameleliza.component.eliza;

import org.apache.camel.spi.Metadata;

/**
 * The headers of the Eliza component. A header is either an output (set by a consumer, or by a producer on the exchange
 * it completes) or an input of the producer (read, then removed); never both, so that what one eliza: endpoint wrote
 * is never taken by the next as an instruction. Inputs that replace an output's value carry "Override" in their name,
 * as camel-kafka's {@code kafka.OVERRIDE_TOPIC} next to its output {@code kafka.TOPIC}. The one exception is
 * {@link #CONVERSATION_KEY}: it names the conversation, so the producer sets it again on the exchange it completes, as
 * the memory id of Camel's other AI components stays with the exchange; a later eliza: send of the exchange continues
 * that conversation (with its own agent).
 */
public final class ElizaConstants {

    @Metadata(label = "consumer,producer",
              description = "The id the Eliza server gave the message. On the consumer, the id of the received message;"
                            + " on the producer, the id of the sent message once the server acknowledged it.",
              javaType = "String")
    public static final String MESSAGE_ID = "CamelElizaMessageId";
    @Metadata(label = "producer",
              description = "The client-side id of the sent message (the server echoes it as clientMessageId), set by the"
                            + " producer once the message is sent. An output only: the producer never reads it (so a"
                            + " second eliza: send of the exchange gets an id of its own); to choose the id, set"
                            + " CamelElizaOverrideClientMessageId.",
              javaType = "String")
    public static final String CLIENT_MESSAGE_ID = "CamelElizaClientMessageId";
    @Metadata(label = "consumer,producer", description = "The channel (room) id of the message, a UUID.", javaType = "String")
    public static final String CHANNEL_ID = "CamelElizaChannelId";
    @Metadata(label = "consumer,producer",
              description = "The entity id (UUID) of the sender: a user, a client, or an agent (on the producer, the"
                            + " agent that answered).",
              javaType = "String")
    public static final String SENDER_ID = "CamelElizaSenderId";
    @Metadata(label = "consumer,producer",
              description = "The display name of the sender of a received message (on the producer, of the agent's"
                            + " reply). An output only: the producer never reads it; to send under another name than the"
                            + " senderName option, set CamelElizaOverrideSenderName.",
              javaType = "String")
    public static final String SENDER_NAME = "CamelElizaSenderName";
    @Metadata(label = "consumer,producer",
              description = "When the server stored the message (on the producer, the answer), in milliseconds since"
                            + " the epoch.",
              javaType = "Long")
    public static final String CREATED_AT = "CamelElizaCreatedAt";
    @Metadata(label = "consumer,producer",
              description = "Where the message came from, as the server reports it: for example agent_response for an"
                            + " agent's reply, or the source option of the client that sent it.",
              javaType = "String")
    public static final String SOURCE = "CamelElizaSource";
    @Metadata(label = "consumer,producer",
              description = "The agent's thought behind a reply, where the server sends it (agent replies only: on the"
                            + " consumer, an agent's message; on the producer, the answer of a request-reply exchange).",
              javaType = "String")
    public static final String THOUGHT = "CamelElizaThought";
    @Metadata(label = "consumer,producer",
              description = "The actions the agent took with a reply, such as REPLY, where the server sends them (agent"
                            + " replies only: on the consumer, an agent's message; on the producer, the answer of a"
                            + " request-reply exchange).",
              javaType = "java.util.List<String>")
    public static final String ACTIONS = "CamelElizaActions";
    @Metadata(label = "consumer,producer", description = "The message server (world) id the message belongs to.",
              javaType = "String")
    public static final String MESSAGE_SERVER_ID = "CamelElizaMessageServerId";
    @Metadata(label = "consumer,producer",
              description = "The Socket.IO event that produced the exchange (on the producer, the answer), such as"
                            + " messageBroadcast.",
              javaType = "String")
    public static final String EVENT = "CamelElizaEvent";

    @Metadata(label = "producer",
              description = "Overrides the endpoint's channel for this exchange: a channel name or UUID, as in the URI"
                            + " (toD sets it when the channel of its URI is computed per message, so that one endpoint"
                            + " serves every channel). An input: read, then removed from the message.",
              javaType = "String")
    public static final String CHANNEL = "CamelElizaChannel";
    @Metadata(label = "producer",
              description = "Overrides the agentId option for this exchange: the UUID of the agent to talk to. As with"
                            + " the option, the producer then waits for the agent's answer (requestReply=auto). An"
                            + " input: read, then removed from the message.",
              javaType = "String")
    public static final String AGENT_ID = "CamelElizaAgentId";
    @Metadata(label = "producer",
              description = "A conversation: any string (a Slack thread, a Kafka key, an e-mail address). The message"
                            + " goes to a channel of its own for that conversation, derived from the endpoint's channel,"
                            + " the agent and this key, with the agent as participant; so each conversation has its own"
                            + " history and memory with the agent. Needs an agent. Read, and set again on the exchange"
                            + " the producer completes (the answer, or the sent message when one-way), as the memory or"
                            + " conversation id of Camel's other AI components stays with the exchange: a later eliza:"
                            + " send of the exchange continues the conversation; remove the header to post outside it.",
              javaType = "String")
    public static final String CONVERSATION_KEY = "CamelElizaConversationKey";
    @Metadata(label = "consumer,producer",
              description = "The attachments of a received message (on the producer, of the agent's reply): a list of"
                            + " URLs (strings) or of maps with url, title, contentType... An output only: the producer"
                            + " never reads it; to send attachments, set CamelElizaOverrideAttachments.",
              javaType = "java.util.List<Object>")
    public static final String ATTACHMENTS = "CamelElizaAttachments";
    @Metadata(label = "producer",
              description = "Metadata (a map) sent with the message. The keys the component needs to make the agent a"
                            + " participant (isDm, channelType, targetUserId) are set by the component when an agent"
                            + " is configured. An input: read, then removed from the message.",
              javaType = "java.util.Map<String, Object>")
    public static final String METADATA = "CamelElizaMetadata";
    @Metadata(label = "producer",
              description = "Sends the message with this client message id instead of a fresh one, for example one"
                            + " derived from a JMS message id, so that a later delivery can find out whether the server"
                            + " has it. An input: read, then removed from the message. While a message with the same"
                            + " client message id waits for its ack on the same connection, the send fails with"
                            + " ElizaInvalidMessageException.",
              javaType = "String")
    public static final String OVERRIDE_CLIENT_MESSAGE_ID = "CamelElizaOverrideClientMessageId";
    @Metadata(label = "producer",
              description = "Overrides the senderName option for this exchange: the display name the message is posted"
                            + " under. An input: read, then removed from the message.",
              javaType = "String")
    public static final String OVERRIDE_SENDER_NAME = "CamelElizaOverrideSenderName";
    @Metadata(label = "producer",
              description = "Attachments sent with the message: a list of URLs (strings) or of maps with url, title,"
                            + " contentType... An input: read, then removed from the message.",
              javaType = "java.util.List<Object>")
    public static final String OVERRIDE_ATTACHMENTS = "CamelElizaOverrideAttachments";
    @Metadata(label = "producer",
              description = "Set to true on the reply of a request-reply exchange when the server signalled that the agent"
                            + " finished its turn without answering (messageComplete, elizaOS 1.4 and older); the body is"
                            + " then null.",
              javaType = "Boolean")
    public static final String NO_REPLY = "CamelElizaNoReply";
    @Metadata(label = "producer",
              description = "With streaming=true: the whole answer, set on the exchange once its body (an"
                            + " ElizaAnswerStream of the answer's chunks) was read to its end; equal to the chunks"
                            + " concatenated.",
              javaType = "String")
    public static final String STREAMED_TEXT = "CamelElizaStreamedText";
    @Metadata(label = "consumer", description = "The position of a chunk in a streamed reply (messageStreamChunk events).",
              javaType = "Integer")
    public static final String CHUNK_INDEX = "CamelElizaChunkIndex";
    @Metadata(label = "producer",
              description = "On the reply of a request-reply exchange: the server's id of the message it answers (the"
                            + " request as the server stored it).",
              javaType = "String")
    public static final String IN_REPLY_TO = "CamelElizaInReplyTo";

    @Metadata(label = "consumer",
              description = "True on a message the consumer fetched over REST after a reconnect (gap recovery) instead of"
                            + " receiving it live.",
              javaType = "Boolean")
    public static final String RECOVERED = "CamelElizaRecovered";

    private ElizaConstants() {
    }
}
