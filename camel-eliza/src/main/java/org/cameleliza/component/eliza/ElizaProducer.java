package org.cameleliza.component.eliza;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the exchange body as a message. An InOnly exchange completes when the server acknowledges the message; an
 * InOut exchange completes with the agent's reply (see {@link ElizaReplyTracker}). No thread waits in either case: the
 * exchange continues on a worker thread, never on the Socket.IO event thread.
 */
public class ElizaProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaProducer.class);

    private volatile ElizaConnection connection;
    private WritableHealthCheckRepository healthCheckRepository;
    private ElizaProducerHealthCheck healthCheck;

    public ElizaProducer(ElizaEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public ElizaEndpoint getEndpoint() {
        return (ElizaEndpoint) super.getEndpoint();
    }

    /** Exchange property: when a send of this exchange's message ended without knowing if the server stored it. */
    static final String UNCONFIRMED_SINCE = "CamelElizaUnconfirmedSince";
    /**
     * Exchange property: the client message id of that send. A property, not a header: Camel's redelivery restores the
     * message (and its headers) as it was before the failed attempt, but keeps the exchange's properties.
     */
    static final String UNCONFIRMED_ID = "CamelElizaUnconfirmedClientMessageId";

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = getEndpoint().acquireConnection();
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthCheckRepository != null) {
            healthCheck = new ElizaProducerHealthCheck(this, getEndpoint().getChannelId());
            healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckProducerEnabled());
            healthCheckRepository.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheckRepository != null && healthCheck != null) {
            healthCheckRepository.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        if (connection != null) {
            getEndpoint().releaseConnection(connection);
            connection = null;
        }
        super.doStop();
    }

    /** The connection in use, or null while stopped. */
    ElizaConnection getConnection() {
        return connection;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ElizaConfiguration config = getEndpoint().getConfiguration();
        Outgoing out;
        try {
            out = outgoing(exchange);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        // stamped before sending: a redelivery of this exchange sends the same id, and can be recognised
        exchange.getMessage().setHeader(ElizaConstants.CLIENT_MESSAGE_ID, out.message.clientMessageId());
        ElizaConnection current = connection;
        CompletableFuture<?> result;
        if (exchange.getPattern().isOutCapable()) {
            result = current.awaitConnected(config.getConnectTimeout()).thenCompose(v -> {
                Outgoing resolved = out.resolve(current);
                return current.replies().request(new ElizaReplyTracker.Request(
                        resolved.message.channelId(), joinPayload(resolved), resolved.message.clientMessageId(),
                        resolved.message.messageServerId(), resolved.envelope, resolved.message.agentId(),
                        config.getConnectTimeout(), config.getAckTimeout(), config.getReplyTimeout()));
            });
        } else {
            Long unconfirmedSince = exchange.getProperty(UNCONFIRMED_SINCE, Long.class);
            result = current.awaitConnected(config.getConnectTimeout())
                    .thenCompose(v -> unconfirmedSince == null
                            ? send(current, out.resolve(current))
                            : sendUnlessStored(current, out.resolve(current), unconfirmedSince));
        }
        result.whenCompleteAsync((outcome, error) -> {
            try {
                if (error != null) {
                    exchange.setException(translate(exchange, out, error));
                } else {
                    exchange.removeProperty(UNCONFIRMED_SINCE);
                    exchange.removeProperty(UNCONFIRMED_ID);
                    complete(exchange, out, outcome);
                }
            } finally {
                callback.done(false);
            }
        }, getEndpoint().getComponent().getWorkerPool());
        return false;
    }

    private CompletableFuture<Map<String, Object>> send(ElizaConnection current, Outgoing out) {
        return current.send(out.message.clientMessageId(), out.message.messageServerId(), out.envelope,
                getEndpoint().getConfiguration().getAckTimeout());
    }

    /**
     * A redelivery after a send whose outcome is unknown: the server may have stored the message before the
     * connection dropped. Ask it (by client message id) before sending again, so redelivery does not duplicate it.
     */
    private CompletableFuture<Map<String, Object>> sendUnlessStored(
            ElizaConnection current, Outgoing out, long unconfirmedSince) {
        // five minutes of slack for the difference between our clock and the server's
        long notBefore = unconfirmedSince - getEndpoint().getConfiguration().getAckTimeout() - 300_000L;
        LOG.debug("Redelivery of message {} whose first send is unconfirmed: asking the server whether it stored it",
                out.message.clientMessageId());
        return current.rest().findByClientMessageId(out.message.channelId(), out.message.clientMessageId(), notBefore)
                .thenCompose(stored -> {
                    if (stored.isPresent()) {
                        LOG.info("Message {} was stored by the Eliza server before the connection dropped: not sent again",
                                out.message.clientMessageId());
                        Map<String, Object> ack = new java.util.LinkedHashMap<>();
                        ack.put("clientMessageId", out.message.clientMessageId());
                        ack.put("messageId", stored.get().get("id"));
                        ack.put("status", "already_stored");
                        return CompletableFuture.completedFuture(ack);
                    }
                    return send(current, out);
                });
    }

    private Map<String, Object> joinPayload(Outgoing out) {
        ElizaEndpoint endpoint = getEndpoint();
        return ElizaProtocol.joinPayload(out.message.channelId(), endpoint.getEntityId(), out.message.agentId(),
                endpoint.getConfiguration().getMessageServerId(), out.message.senderName());
    }

    @SuppressWarnings("unchecked")
    private void complete(Exchange exchange, Outgoing out, Object outcome) {
        Message message = exchange.getMessage();
        if (outcome instanceof ElizaReplyTracker.Reply) {
            ElizaReplyTracker.Reply reply = (ElizaReplyTracker.Reply) outcome;
            if (reply.answered()) {
                ElizaMessageMapper.toMessage(message, ElizaEvents.MESSAGE_BROADCAST, reply.payload(),
                        getEndpoint().getConfiguration().getBodyType());
            } else {
                message.setBody(null);
                message.setHeader(ElizaConstants.NO_REPLY, true);
            }
        } else {
            message.setHeader(ElizaConstants.MESSAGE_ID, ElizaProtocol.string((Map<String, Object>) outcome, "messageId"));
        }
        message.setHeader(ElizaConstants.CLIENT_MESSAGE_ID, out.message.clientMessageId());
        message.setHeader(ElizaConstants.CHANNEL_ID, out.message.channelId());
    }

    private Exception translate(Exchange exchange, Outgoing out, Throwable error) {
        Throwable cause = ElizaConnection.unwrap(error);
        ElizaConfiguration config = getEndpoint().getConfiguration();
        if (cause instanceof ElizaUnacknowledgedException
                || cause instanceof TimeoutException && !(cause instanceof ElizaReplyTracker.ReplyTimeoutException)) {
            // sent, outcome unknown: remember since when, for the redelivery to check before sending again
            if (exchange.getProperty(UNCONFIRMED_SINCE) == null) {
                exchange.setProperty(UNCONFIRMED_SINCE, System.currentTimeMillis());
                exchange.setProperty(UNCONFIRMED_ID, out.message.clientMessageId());
            }
        }
        if (cause instanceof ElizaReplyTracker.ReplyTimeoutException) {
            return new ExchangeTimedOutException(exchange, config.getReplyTimeout(), cause.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return new ExchangeTimedOutException(
                    exchange, config.getAckTimeout(),
                    "No acknowledgement from the Eliza server for message " + out.message.clientMessageId()
                                                      + " in channel " + out.message.channelId()
                                                      + "; it may or may not have been stored");
        }
        return cause instanceof Exception ? (Exception) cause : new ElizaException(cause.getMessage(), cause);
    }

    // --- building the message: every check happens here, before anything is sent

    private record Outgoing(ElizaProtocol.Outgoing message, JSONObject envelope) {

        /** With the message server id the connection learned from the server, when the endpoint sets none. */
        Outgoing resolve(ElizaConnection connection) {
            if (message.messageServerId() != null) {
                return this;
            }
            String id = connection.getMessageServerId() != null
                    ? connection.getMessageServerId() : ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID;
            ElizaProtocol.Outgoing resolved = message.withMessageServerId(id);
            return new Outgoing(resolved, ElizaProtocol.envelope(ElizaProtocol.SEND_MESSAGE, ElizaProtocol.sendPayload(resolved)));
        }
    }

    private Outgoing outgoing(Exchange exchange) throws ElizaInvalidMessageException {
        ElizaEndpoint endpoint = getEndpoint();
        ElizaConfiguration config = endpoint.getConfiguration();
        Message in = exchange.getMessage();
        try {
            String channelId = endpoint.getChannelId();
            String channelHeader = in.getHeader(ElizaConstants.CHANNEL, String.class);
            if (channelHeader != null) {
                channelId = ElizaIds.channelId(channelHeader);
            }
            String agentId = config.getAgentId();
            String agentHeader = in.getHeader(ElizaConstants.AGENT_ID, String.class);
            if (agentHeader != null) {
                agentId = ElizaIds.requireUuid(agentHeader, "Header", ElizaConstants.AGENT_ID);
            }
            String conversationKey = in.getHeader(ElizaConstants.CONVERSATION_KEY, String.class);
            if (conversationKey != null) {
                if (conversationKey.isBlank()) {
                    throw new IllegalArgumentException("Header " + ElizaConstants.CONVERSATION_KEY + " must not be blank");
                }
                if (agentId == null) {
                    throw new IllegalArgumentException("Header " + ElizaConstants.CONVERSATION_KEY
                                                       + " needs an agent: set the agentId option or the "
                                                       + ElizaConstants.AGENT_ID + " header");
                }
                channelId = ElizaIds.conversationChannelId(channelId, agentId, conversationKey);
            }
            String text = in.getBody(String.class);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("Cannot send an empty message to Eliza channel " + channelId
                                                   + ": the message body (converted to a String) must contain text");
            }
            String senderName = in.getHeader(ElizaConstants.SENDER_NAME, config.getSenderName(), String.class);
            // a redelivery after an unconfirmed send sends the same id, so the server can tell whether it has it
            String clientMessageId = exchange.getProperty(UNCONFIRMED_ID, String.class);
            if (clientMessageId == null) {
                clientMessageId = in.getHeader(ElizaConstants.CLIENT_MESSAGE_ID, String.class);
            }
            if (clientMessageId == null || clientMessageId.isBlank()) {
                clientMessageId = UUID.randomUUID().toString();
            }
            ElizaProtocol.Outgoing message = new ElizaProtocol.Outgoing(channelId, endpoint.getEntityId(), senderName,
                    text, config.getMessageServerId(), clientMessageId, config.getSource(), agentId,
                    attachments(in.getHeader(ElizaConstants.ATTACHMENTS)), metadata(in.getHeader(ElizaConstants.METADATA)));
            // sized with a placeholder server id when it is not known yet: every id has the same length
            ElizaProtocol.Outgoing sized = message.messageServerId() != null
                    ? message : message.withMessageServerId(ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID);
            JSONObject envelope = ElizaProtocol.envelope(ElizaProtocol.SEND_MESSAGE, ElizaProtocol.sendPayload(sized));
            int size = ElizaProtocol.packetSize(ElizaProtocol.EMIT_MESSAGE, envelope);
            if (size > config.getMaxMessageSize()) {
                throw new IllegalArgumentException(
                        "The message is " + size + " bytes as a Socket.IO packet, more than maxMessageSize ("
                                                   + config.getMaxMessageSize() + " bytes); it was not sent (the Eliza"
                                                   + " server drops the whole connection on a packet over 1,000,000"
                                                   + " bytes)");
            }
            return new Outgoing(message, message == sized ? envelope : null);
        } catch (IllegalArgumentException e) {
            throw new ElizaInvalidMessageException(e.getMessage(), e);
        }
    }

    private static List<Object> attachments(Object header) {
        if (header == null) {
            return null;
        }
        if (header instanceof Collection) {
            for (Object attachment : (Collection<?>) header) {
                if (!(attachment instanceof String) && !(attachment instanceof Map)) {
                    throw new IllegalArgumentException("Header " + ElizaConstants.ATTACHMENTS
                                                       + " must hold URLs (strings) or maps, but holds a "
                                                       + (attachment == null ? "null" : attachment.getClass().getName()));
                }
            }
            return List.copyOf((Collection<?>) header);
        }
        if (header instanceof String || header instanceof Map) {
            return List.of(header);
        }
        throw new IllegalArgumentException("Header " + ElizaConstants.ATTACHMENTS
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
