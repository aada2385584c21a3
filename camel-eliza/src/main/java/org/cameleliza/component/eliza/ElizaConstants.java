package org.cameleliza.component.eliza;

import org.apache.camel.spi.Metadata;

/**
 * The headers of the Eliza component.
 */
public final class ElizaConstants {

    @Metadata(label = "consumer,producer",
              description = "The id the Eliza server gave the message. On the consumer, the id of the received message;"
                            + " on the producer, the id of the sent message once the server acknowledged it.",
              javaType = "String")
    public static final String MESSAGE_ID = "CamelElizaMessageId";
    @Metadata(label = "producer",
              description = "The client-side id of the sent message (the server echoes it as clientMessageId). Set by"
                            + " the producer; when the exchange already has it (a redelivery, or set by the route), the"
                            + " producer sends that id.",
              javaType = "String")
    public static final String CLIENT_MESSAGE_ID = "CamelElizaClientMessageId";
    @Metadata(label = "consumer,producer", description = "The channel (room) id of the message, a UUID.", javaType = "String")
    public static final String CHANNEL_ID = "CamelElizaChannelId";
    @Metadata(label = "consumer", description = "The entity id (UUID) of the sender: a user, a client, or an agent.",
              javaType = "String")
    public static final String SENDER_ID = "CamelElizaSenderId";
    @Metadata(label = "consumer,producer",
              description = "The display name of the sender. On the producer it overrides the senderName option.",
              javaType = "String")
    public static final String SENDER_NAME = "CamelElizaSenderName";
    @Metadata(label = "consumer", description = "When the server stored the message, in milliseconds since the epoch.",
              javaType = "Long")
    public static final String CREATED_AT = "CamelElizaCreatedAt";
    @Metadata(label = "consumer",
              description = "Where the message came from, as the server reports it: for example agent_response for an"
                            + " agent's reply, or the source option of the client that sent it.",
              javaType = "String")
    public static final String SOURCE = "CamelElizaSource";
    @Metadata(label = "consumer", description = "The agent's thought behind a reply (agent replies only).",
              javaType = "String")
    public static final String THOUGHT = "CamelElizaThought";
    @Metadata(label = "consumer", description = "The actions the agent took with a reply, such as REPLY (agent replies only).",
              javaType = "java.util.List<String>")
    public static final String ACTIONS = "CamelElizaActions";
    @Metadata(label = "consumer", description = "The message server (world) id the message belongs to.",
              javaType = "String")
    public static final String MESSAGE_SERVER_ID = "CamelElizaMessageServerId";
    @Metadata(label = "consumer", description = "The Socket.IO event that produced the exchange, such as messageBroadcast.",
              javaType = "String")
    public static final String EVENT = "CamelElizaEvent";

    @Metadata(label = "producer",
              description = "Overrides the endpoint's channel for this exchange: a channel name or UUID, as in the URI.",
              javaType = "String")
    public static final String CHANNEL = "CamelElizaChannel";
    @Metadata(label = "producer",
              description = "Overrides the agentId option for this exchange: the UUID of the agent to talk to.",
              javaType = "String")
    public static final String AGENT_ID = "CamelElizaAgentId";
    @Metadata(label = "producer",
              description = "A conversation: any string (a Slack thread, a Kafka key, an e-mail address). The message"
                            + " goes to a channel of its own for that conversation, derived from the endpoint's channel,"
                            + " the agent and this key, with the agent as participant; so each conversation has its own"
                            + " history and memory with the agent. Needs an agent.",
              javaType = "String")
    public static final String CONVERSATION_KEY = "CamelElizaConversationKey";
    @Metadata(label = "consumer,producer",
              description = "Attachments: a list of URLs (strings) or of maps with url, title, contentType..."
                            + " On the producer they are sent with the message; on the consumer, those of the message.",
              javaType = "java.util.List<Object>")
    public static final String ATTACHMENTS = "CamelElizaAttachments";
    @Metadata(label = "producer",
              description = "Metadata (a map) sent with the message. The keys the component needs to make the agent a"
                            + " participant (isDm, channelType, targetUserId) are set by the component when an agent"
                            + " is configured.",
              javaType = "java.util.Map<String, Object>")
    public static final String METADATA = "CamelElizaMetadata";
    @Metadata(label = "producer",
              description = "Set to true on the reply of a request-reply exchange when the server signalled that the agent"
                            + " finished its turn without answering (messageComplete, elizaOS 1.4 and older); the body is"
                            + " then null.",
              javaType = "Boolean")
    public static final String NO_REPLY = "CamelElizaNoReply";
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
