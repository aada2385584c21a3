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
              description = "The client-side id the producer sent with the message (echoed back by the server as"
                            + " clientMessageId). Set by the producer.",
              javaType = "String")
    public static final String CLIENT_MESSAGE_ID = "CamelElizaClientMessageId";
    @Metadata(label = "consumer,producer", description = "The channel (room) id of the message, a UUID.", javaType = "String")
    public static final String CHANNEL_ID = "CamelElizaChannelId";
    @Metadata(label = "consumer", description = "The entity id (UUID) of the sender: a user, a client, or an agent.",
              javaType = "String")
    public static final String SENDER_ID = "CamelElizaSenderId";
    @Metadata(label = "consumer", description = "The display name of the sender.", javaType = "String")
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

    private ElizaConstants() {
    }
}
