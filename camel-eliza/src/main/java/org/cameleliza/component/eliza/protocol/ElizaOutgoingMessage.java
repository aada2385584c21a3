package org.cameleliza.component.eliza.protocol;

import org.cameleliza.component.eliza.ElizaConfiguration;

/**
 * A message checked and encoded once, ready to send: serialised once, and its packet's size known from that. When the
 * endpoint sets no message server id, the connection's is used; the message is encoded with the default id, which
 * every installation without data isolation uses, and again only when the connection's differs (all ids have the
 * same length, so the size stays exact).
 */
public final class ElizaOutgoingMessage {

    private final ElizaProtocol.Outgoing message;
    private final ElizaProtocol.Json envelope;
    private final int packetSize;
    private final String conversationKey;

    public ElizaOutgoingMessage(ElizaProtocol.Outgoing message) {
        this(message, null);
    }

    /**
     * @param conversationKey the conversation the message belongs to (the CamelElizaConversationKey header it was built
     *                        from), null when none; never sent, its channel id is derived from it
     */
    public ElizaOutgoingMessage(ElizaProtocol.Outgoing message, String conversationKey) {
        this.message = message;
        this.conversationKey = conversationKey;
        this.envelope = encode(message.messageServerId() != null
                ? message : message.withMessageServerId(ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID));
        this.packetSize = ElizaProtocol.packetSize(ElizaProtocol.EMIT_MESSAGE, envelope);
    }

    private static ElizaProtocol.Json encode(ElizaProtocol.Outgoing message) {
        return ElizaProtocol.envelope(ElizaProtocol.SEND_MESSAGE, ElizaProtocol.sendPayload(message));
    }

    /** The exact size in bytes of the Socket.IO packet this message is sent as. */
    public int packetSize() {
        return packetSize;
    }

    public String channelId() {
        return message.channelId();
    }

    public String clientMessageId() {
        return message.clientMessageId();
    }

    public String agentId() {
        return message.agentId();
    }

    public String senderName() {
        return message.senderName();
    }

    /** The conversation key the message was sent under, or null. */
    public String conversationKey() {
        return conversationKey;
    }

    /** The message's fields, for a transport that does not send it over Socket.IO. */
    public ElizaProtocol.Outgoing fields() {
        return message;
    }

    /** The message server id it is sent with, given the connection's. */
    public String messageServerId(String connectionDefault) {
        return message.messageServerId() != null ? message.messageServerId() : connectionDefault;
    }

    /** The envelope to emit, with the connection's message server id when the endpoint sets none. */
    public ElizaProtocol.Json envelope(String connectionDefault) {
        if (message.messageServerId() == null
                && !ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID.equals(connectionDefault)) {
            return encode(message.withMessageServerId(connectionDefault));
        }
        return envelope;
    }
}
