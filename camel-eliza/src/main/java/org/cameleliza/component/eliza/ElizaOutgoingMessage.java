package org.cameleliza.component.eliza;

import org.json.JSONException;
import org.json.JSONObject;

/**
 * A message checked and encoded once, ready to send. When the endpoint sets no message server id, the connection's is
 * filled in at send time (every id has the same length, so the size measured with a placeholder is exact).
 */
final class ElizaOutgoingMessage {

    private final ElizaProtocol.Outgoing message;
    private final JSONObject envelope;
    private final int packetSize;

    ElizaOutgoingMessage(ElizaProtocol.Outgoing message) {
        this.message = message;
        ElizaProtocol.Outgoing sized = message.messageServerId() != null
                ? message : message.withMessageServerId(ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID);
        this.envelope = ElizaProtocol.envelope(ElizaProtocol.SEND_MESSAGE, ElizaProtocol.sendPayload(sized));
        this.packetSize = ElizaProtocol.packetSize(ElizaProtocol.EMIT_MESSAGE, envelope);
    }

    /** The exact size in bytes of the Socket.IO packet this message is sent as. */
    int packetSize() {
        return packetSize;
    }

    String channelId() {
        return message.channelId();
    }

    String clientMessageId() {
        return message.clientMessageId();
    }

    String agentId() {
        return message.agentId();
    }

    String senderName() {
        return message.senderName();
    }

    /** The message server id it is sent with, given the connection's. */
    String messageServerId(String connectionDefault) {
        return message.messageServerId() != null ? message.messageServerId() : connectionDefault;
    }

    /** The envelope to emit, with the connection's message server id when the endpoint sets none. */
    JSONObject envelope(String connectionDefault) {
        if (message.messageServerId() == null) {
            try {
                JSONObject payload = envelope.getJSONObject("payload");
                payload.put("messageServerId", connectionDefault);
                payload.put("serverId", connectionDefault);
            } catch (JSONException e) {
                throw new IllegalStateException("Cannot set the message server id: " + e.getMessage(), e);
            }
        }
        return envelope;
    }
}
