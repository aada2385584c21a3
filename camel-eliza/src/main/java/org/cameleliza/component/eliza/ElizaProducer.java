package org.cameleliza.component.eliza;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.support.DefaultAsyncProducer;
import org.json.JSONObject;

/**
 * Sends the exchange body as a message to the endpoint's channel and completes the exchange when the server
 * acknowledges it. No thread waits for the acknowledgement; the exchange continues on a worker thread.
 */
public class ElizaProducer extends DefaultAsyncProducer {

    private ElizaConnection connection;

    public ElizaProducer(ElizaEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public ElizaEndpoint getEndpoint() {
        return (ElizaEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = getEndpoint().acquireConnection();
    }

    @Override
    protected void doStop() throws Exception {
        if (connection != null) {
            getEndpoint().releaseConnection(connection);
            connection = null;
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ElizaEndpoint endpoint = getEndpoint();
        ElizaConfiguration config = endpoint.getConfiguration();
        String clientMessageId = UUID.randomUUID().toString();
        JSONObject envelope;
        try {
            envelope = envelope(exchange, clientMessageId);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        ElizaConnection current = connection;
        current.awaitConnected(config.getConnectTimeout())
                .thenCompose(v -> current.send(clientMessageId, config.getMessageServerId(), envelope,
                        config.getAckTimeout()))
                .whenCompleteAsync((ack, error) -> {
                    try {
                        if (error != null) {
                            exchange.setException(translate(exchange, clientMessageId, error));
                        } else {
                            onAck(exchange, clientMessageId, ack);
                        }
                    } finally {
                        callback.done(false);
                    }
                }, endpoint.getComponent().getWorkerPool());
        return false;
    }

    /** Builds the SEND_MESSAGE envelope, refusing what the server would reject or choke on. */
    private JSONObject envelope(Exchange exchange, String clientMessageId) throws ElizaInvalidMessageException {
        ElizaEndpoint endpoint = getEndpoint();
        ElizaConfiguration config = endpoint.getConfiguration();
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new ElizaInvalidMessageException(
                    "Cannot send an empty message to Eliza channel " + endpoint.getChannelId()
                                                   + ": the message body (converted to a String) must contain text");
        }
        Map<String, Object> payload = ElizaProtocol.sendPayload(endpoint.getChannelId(), endpoint.getEntityId(),
                config.getSenderName(), text, config.getMessageServerId(), clientMessageId, config.getSource(),
                config.getAgentId());
        JSONObject envelope = ElizaProtocol.envelope(ElizaProtocol.SEND_MESSAGE, payload);
        int size = ElizaProtocol.packetSize(ElizaProtocol.EMIT_MESSAGE, envelope);
        if (size > config.getMaxMessageSize()) {
            throw new ElizaInvalidMessageException(
                    "The message is " + size + " bytes as a Socket.IO packet, more than maxMessageSize ("
                                                   + config.getMaxMessageSize() + " bytes); it was not sent"
                                                   + " (the Eliza server drops the whole connection on a packet over"
                                                   + " 1,000,000 bytes)");
        }
        return envelope;
    }

    private void onAck(Exchange exchange, String clientMessageId, Map<String, Object> ack) {
        exchange.getMessage().setHeader(ElizaConstants.MESSAGE_ID, ElizaProtocol.string(ack, "messageId"));
        exchange.getMessage().setHeader(ElizaConstants.CLIENT_MESSAGE_ID, clientMessageId);
        exchange.getMessage().setHeader(ElizaConstants.CHANNEL_ID, getEndpoint().getChannelId());
    }

    private Exception translate(Exchange exchange, String clientMessageId, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return new ExchangeTimedOutException(
                    exchange, getEndpoint().getConfiguration().getAckTimeout(),
                    "No acknowledgement from the Eliza server for message " + clientMessageId + " in channel "
                                                                                + getEndpoint().getChannelId()
                                                                                + "; it may or may not have been stored");
        }
        return cause instanceof Exception ? (Exception) cause : new ElizaException(cause.getMessage(), cause);
    }
}
