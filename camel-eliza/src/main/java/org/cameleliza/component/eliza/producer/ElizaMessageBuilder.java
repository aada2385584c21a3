package org.cameleliza.component.eliza.producer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaIds;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;

/**
 * Builds the message a producer sends from an exchange: the body as text, the endpoint's options, and the input
 * headers that override them for this exchange. Every check happens here, before anything is sent.
 * <p>
 * Only the input headers of {@link ElizaConstants} are read, and each is removed from the message once read, so it
 * does not travel on to the next endpoint. The output headers (what an eliza: consumer or an earlier eliza: send left
 * on the message: {@code CamelElizaClientMessageId}, {@code CamelElizaSenderName}, {@code CamelElizaAttachments}...)
 * are never read: a second send of the exchange, or each exchange of a split, would otherwise repeat the first one's
 * client message id, or post under the name of the agent whose reply it carries.
 */
public final class ElizaMessageBuilder {

    /**
     * The headers that override the endpoint for one exchange: read, then removed (the producer sets the conversation
     * key again on the exchange it completes: it names the conversation the answer belongs to).
     */
    public static final List<String> INPUT_HEADERS = List.of(ElizaConstants.CHANNEL, ElizaConstants.AGENT_ID,
            ElizaConstants.CONVERSATION_KEY, ElizaConstants.OVERRIDE_SENDER_NAME, ElizaConstants.OVERRIDE_ATTACHMENTS,
            ElizaConstants.METADATA, ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID);

    private ElizaMessageBuilder() {
    }

    /**
     * The message to send for the exchange; the input headers are removed from it, also when it is refused.
     *
     * @param  redeliveredClientMessageId   the client message id of the attempt Camel redelivers, when the server
     *                                      may have stored it (the same id lets the server tell); null for a fresh send
     * @throws ElizaInvalidMessageException when the message cannot be sent as it is: nothing was sent
     */
    public static ElizaOutgoingMessage build(ElizaEndpoint endpoint, Exchange exchange, String redeliveredClientMessageId)
            throws ElizaInvalidMessageException {
        ElizaConfiguration config = endpoint.getConfiguration();
        Message in = exchange.getMessage();
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (String header : INPUT_HEADERS) {
            Object value = in.removeHeader(header);
            if (value != null) {
                inputs.put(header, value);
            }
        }
        try {
            String channelId = endpoint.getChannelId();
            String channelHeader = stringOf(inputs.get(ElizaConstants.CHANNEL), exchange);
            if (channelHeader != null) {
                channelId = ElizaIds.channelId(channelHeader);
            }
            String agentId = config.getAgentId();
            String agentHeader = stringOf(inputs.get(ElizaConstants.AGENT_ID), exchange);
            if (agentHeader != null) {
                agentId = ElizaIds.requireUuid(agentHeader, "Header", ElizaConstants.AGENT_ID);
            }
            String conversationKey = stringOf(inputs.get(ElizaConstants.CONVERSATION_KEY), exchange);
            if (conversationKey != null) {
                if (conversationKey.isBlank()) {
                    throw new IllegalArgumentException("Header " + ElizaConstants.CONVERSATION_KEY + " must not be blank");
                }
                if (agentId == null) {
                    throw new IllegalArgumentException("Header " + ElizaConstants.CONVERSATION_KEY
                                                       + " needs an agent: set the agentId option or the "
                                                       + ElizaConstants.AGENT_ID + " header (an earlier eliza: send of"
                                                       + " the exchange leaves its conversation's key on it: remove the"
                                                       + " header to post outside that conversation)");
                }
                channelId = ElizaIds.conversationChannelId(channelId, agentId, conversationKey);
            }
            String text = in.getBody(String.class);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("Cannot send an empty message to Eliza channel " + channelId
                                                   + ": the message body (converted to a String) must contain text");
            }
            String senderName = stringOf(inputs.get(ElizaConstants.OVERRIDE_SENDER_NAME), exchange);
            if (senderName == null) {
                senderName = config.getSenderName();
            }
            // a redelivery after an unconfirmed send sends the same id, so the server can tell whether it has it
            String clientMessageId = redeliveredClientMessageId;
            if (clientMessageId == null) {
                clientMessageId = stringOf(inputs.get(ElizaConstants.OVERRIDE_CLIENT_MESSAGE_ID), exchange);
            }
            if (clientMessageId == null || clientMessageId.isBlank()) {
                clientMessageId = UUID.randomUUID().toString();
            }
            ElizaOutgoingMessage message = new ElizaOutgoingMessage(new ElizaProtocol.Outgoing(
                    channelId, endpoint.getEntityId(), senderName, text, config.getMessageServerId(), clientMessageId,
                    config.getSource(), agentId, attachments(inputs.get(ElizaConstants.OVERRIDE_ATTACHMENTS)),
                    metadata(inputs.get(ElizaConstants.METADATA))), conversationKey);
            requireFits(message, config.getMaxMessageSize());
            return message;
        } catch (IllegalArgumentException e) {
            throw new ElizaInvalidMessageException(e.getMessage(), e);
        }
    }

    /**
     * Refuses a message larger than maxMessageSize as a Socket.IO packet: the Eliza server drops the whole connection
     * on a packet over 1,000,000 bytes.
     */
    public static void requireFits(ElizaOutgoingMessage message, int maxMessageSize) {
        if (message.packetSize() > maxMessageSize) {
            throw new IllegalArgumentException(
                    "The message is " + message.packetSize() + " bytes as a Socket.IO packet, more than maxMessageSize ("
                                               + maxMessageSize + " bytes); it was not sent (the Eliza server drops the"
                                               + " whole connection on a packet over 1,000,000 bytes)");
        }
    }

    private static String stringOf(Object value, Exchange exchange) {
        return value == null ? null : exchange.getContext().getTypeConverter().convertTo(String.class, exchange, value);
    }

    private static List<Object> attachments(Object header) {
        if (header == null) {
            return null;
        }
        if (header instanceof Collection) {
            for (Object attachment : (Collection<?>) header) {
                if (!(attachment instanceof String) && !(attachment instanceof Map)) {
                    throw new IllegalArgumentException("Header " + ElizaConstants.OVERRIDE_ATTACHMENTS
                                                       + " must hold URLs (strings) or maps, but holds a "
                                                       + (attachment == null ? "null" : attachment.getClass().getName()));
                }
            }
            return List.copyOf((Collection<?>) header);
        }
        if (header instanceof String || header instanceof Map) {
            return List.of(header);
        }
        throw new IllegalArgumentException("Header " + ElizaConstants.OVERRIDE_ATTACHMENTS
                                           + " must be a list of URLs or maps, but is a " + header.getClass().getName());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Object header) {
        if (header == null) {
            return null;
        }
        if (header instanceof Map) {
            return (Map<String, Object>) header;
        }
        throw new IllegalArgumentException("Header " + ElizaConstants.METADATA + " must be a Map, but is a "
                                           + header.getClass().getName());
    }
}
