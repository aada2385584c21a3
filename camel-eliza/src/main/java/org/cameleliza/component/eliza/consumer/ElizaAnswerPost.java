package org.cameleliza.component.eliza.consumer;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.component.eliza.ElizaRateLimitedException;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.producer.ElizaMessageBuilder;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.rest.ElizaRestIngest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a participant's answer as the replyVia option says. socket (the default): a SEND_MESSAGE over the consumer's
 * connection, sent as the producer sends (acknowledged, never buffered while down), no REST request; elizaOS 1.7's
 * socket handler stores every such message with {@code inReplyToRootMessageId} undefined, so the answer names the
 * message it answers in its metadata ({@link #IN_REPLY_TO}). rest: POST /api/messaging/ingest-external, which stores
 * {@code inReplyToRootMessageId} too, for one request of the server's REST budget per answer; while the server's rate
 * limit is spent (HTTP 429, or the pause after one), the answer goes over the socket instead, with one WARN per pause.
 * Either way the answer carries the source {@link ElizaParticipant#SOURCE}, which loop prevention relies on.
 */
final class ElizaAnswerPost {

    /** The metadata key under which an answer names the server's id of the message it answers, on either way. */
    static final String IN_REPLY_TO = "inReplyTo";

    private static final Logger LOG = LoggerFactory.getLogger(ElizaAnswerPost.class);

    private final ElizaEndpoint endpoint;
    // until when (epoch ms) the REST pause last warned about lasts: one WARN per pause
    private final AtomicLong warnedUntil = new AtomicLong();

    ElizaAnswerPost(ElizaEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Posts the answer; completes with the stored message's id (null when the server names none).
     *
     * @param serverId the question's message server id, null for the endpoint's or the connection's
     */
    CompletableFuture<String> post(ElizaConnection connection, String channelId, String serverId, String questionId,
                                   String text) {
        if (!"rest".equals(endpoint.getConfiguration().getReplyVia())) {
            return overSocket(connection, channelId, serverId, questionId, text);
        }
        String restServerId = serverId != null ? serverId : messageServerId(connection);
        return ElizaRestIngest.ingest(connection.rest(), ingestPayload(channelId, restServerId, questionId, text))
                .handle((id, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(id);
                    }
                    Throwable cause = ElizaConnection.unwrap(error);
                    if (cause instanceof ElizaRateLimitedException limited) {
                        warnOncePerPause(limited, channelId);
                        return overSocket(connection, channelId, serverId, questionId, text);
                    }
                    return CompletableFuture.<String>failedFuture(cause);
                }).thenCompose(posted -> posted);
    }

    private void warnOncePerPause(ElizaRateLimitedException limited, String channelId) {
        long now = System.currentTimeMillis();
        long until = limited.getRetryAt() != null ? limited.getRetryAt().toEpochMilli() : now;
        long before = warnedUntil.getAndAccumulate(until, Math::max);
        if (before <= now) {
            LOG.warn("The answers of the participant of channel {} go over the Socket.IO connection until {}: the Eliza"
                     + " server's REST rate limit is spent (replyVia=rest). They are stored without"
                     + " inReplyToRootMessageId, naming the message they answer in metadata.{} only", channelId,
                    Instant.ofEpochMilli(until), IN_REPLY_TO);
        } else {
            LOG.debug("Answer in channel {} over the Socket.IO connection: {}", channelId, limited.getMessage());
        }
    }

    /** The producer's way: awaited connection, acknowledged send; the ack names the stored message. */
    private CompletableFuture<String> overSocket(ElizaConnection connection, String channelId, String serverId,
                                                 String questionId, String text) {
        ElizaConfiguration config = endpoint.getConfiguration();
        ElizaOutgoingMessage message;
        try {
            message = socketMessage(channelId, serverId, questionId, text);
            ElizaMessageBuilder.requireFits(message, config.getMaxMessageSize());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ElizaInvalidMessageException(e.getMessage(), e));
        }
        return connection.awaitConnected(config.getConnectTimeout())
                .thenCompose(connected -> connection.send(message, config.getAckTimeout()))
                .thenApply(ack -> ElizaProtocol.string(ack, "messageId"));
    }

    /**
     * The SEND_MESSAGE of an answer: no agent (no DM metadata: the answer goes to the room as it is), the question's
     * message server when known (else the endpoint's, else the connection's).
     */
    ElizaOutgoingMessage socketMessage(String channelId, String serverId, String questionId, String text) {
        ElizaConfiguration config = endpoint.getConfiguration();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(IN_REPLY_TO, questionId);
        return new ElizaOutgoingMessage(new ElizaProtocol.Outgoing(channelId, endpoint.getEntityId(),
                config.getSenderName(), text, serverId != null ? serverId : config.getMessageServerId(),
                UUID.randomUUID().toString(), ElizaParticipant.SOURCE, null, null, metadata));
    }

    private String messageServerId(ElizaConnection connection) {
        String configured = endpoint.getConfiguration().getMessageServerId();
        return configured != null ? configured : connection.messageServerId();
    }

    /** The ingest-external request: both id spellings (server_id up to 1.5, message_server_id from 1.6). */
    Map<String, Object> ingestPayload(String channelId, String serverId, String questionId, String text) {
        ElizaConfiguration config = endpoint.getConfiguration();
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("text", text);
        raw.put("senderName", config.getSenderName());
        raw.put("inReplyTo", questionId);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("user_display_name", config.getSenderName());
        metadata.put("messageServerId", serverId);
        metadata.put(IN_REPLY_TO, questionId);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("channel_id", channelId);
        message.put("message_server_id", serverId);
        message.put("server_id", serverId);
        message.put("author_id", endpoint.getEntityId());
        message.put("author_display_name", config.getSenderName());
        message.put("content", text);
        message.put("in_reply_to_message_id", questionId);
        message.put("source_type", ElizaParticipant.SOURCE);
        message.put("source_id", UUID.randomUUID().toString());
        message.put("raw_message", raw);
        message.put("metadata", metadata);
        return message;
    }
}
