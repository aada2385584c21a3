package org.cameleliza.component.eliza.connection;

import java.util.Map;

import io.socket.client.Manager;
import io.socket.client.Socket;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.reply.ElizaReplyTracker;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server and Socket.IO tell a connection, each handed to the collaborator it concerns: connect, disconnect
 * and refusals to the {@link ElizaConnectionLifecycle}; acks and errors to the {@link ElizaAckTracker}; joins and
 * channel events to the {@link ElizaChannelRegistry} and the {@link ElizaReplyTracker}. Socket.IO calls its listeners
 * on its event thread, which is the connection's: each event becomes one task there, in the order it arrived.
 */
final class ElizaServerEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaServerEvents.class);

    private final ElizaConnection connection;
    private final ElizaConnectionSettings settings;
    private final ElizaConnectionLifecycle lifecycle;
    private final ElizaHandshake handshake;
    private final ElizaRestClient rest;
    private final ElizaServerInfo serverInfo;
    private final ElizaChannelRegistry channels;
    private final ElizaAckTracker acks;
    private final ElizaReplyTracker replies;

    ElizaServerEvents(ElizaConnection connection, ElizaConnectionLifecycle lifecycle, ElizaHandshake handshake,
                      ElizaRestClient rest, ElizaServerInfo serverInfo, ElizaChannelRegistry channels,
                      ElizaAckTracker acks, ElizaReplyTracker replies) {
        this.connection = connection;
        this.settings = connection.getSettings();
        this.lifecycle = lifecycle;
        this.handshake = handshake;
        this.rest = rest;
        this.serverInfo = serverInfo;
        this.channels = channels;
        this.acks = acks;
        this.replies = replies;
    }

    /** Registers the listeners on the socket and its manager. */
    void listenTo(Socket socket) {
        socket.io().on(Manager.EVENT_RECONNECT_ATTEMPT, args -> {
            // Socket.IO opens the transport right after this event, on this thread: the token must be current now
            handshake.refresh();
            connection.execute(lifecycle::onReconnectAttempt);
        });
        socket.io().on(Manager.EVENT_RECONNECT_FAILED, args -> connection.execute(lifecycle::onReconnectFailed));
        socket.on(Socket.EVENT_CONNECT, args -> connection.execute(lifecycle::onConnect));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> {
            Object error = args.length > 0 ? args[0] : null;
            connection.execute(() -> lifecycle.onConnectError(error));
        });
        socket.on(Socket.EVENT_DISCONNECT, args -> {
            String reason = args.length > 0 ? String.valueOf(args[0]) : "unknown";
            connection.execute(() -> lifecycle.onDisconnect(reason));
        });
        socket.on(ElizaProtocol.EVENT_MESSAGE_ACK, this::onAckEvent);
        socket.on(ElizaEvents.MESSAGE_ERROR, args -> onServerEvent(ElizaEvents.MESSAGE_ERROR, args));
        socket.on(ElizaProtocol.EVENT_CHANNEL_JOINED, args -> onServerEvent(ElizaProtocol.EVENT_CHANNEL_JOINED, args));
        for (String event : ElizaEvents.CHANNEL_EVENTS) {
            socket.on(event, args -> onServerEvent(event, args));
        }
    }

    /**
     * An ack, on Socket.IO's thread: a one-way send completes here, one hop less; a request's ack goes to the
     * connection's thread, in order with the events that may carry its reply.
     */
    private void onAckEvent(Object[] args) {
        Object arg = args.length > 0 ? args[0] : null;
        if (arg instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) arg;
            if (acks.acknowledgeNow(ElizaProtocol.string(payload, "clientMessageId"), payload)) {
                return;
            }
        }
        onServerEvent(ElizaProtocol.EVENT_MESSAGE_ACK, args);
    }

    /** Hands one event from the server to the connection's thread. */
    void onServerEvent(String event, Object[] args) {
        connection.execute(() -> handle(event, args));
    }

    private void handle(String event, Object[] args) {
        switch (event) {
            case ElizaProtocol.EVENT_MESSAGE_ACK:
                onAck(args);
                break;
            case ElizaEvents.MESSAGE_ERROR:
                onError(args);
                break;
            case ElizaProtocol.EVENT_CHANNEL_JOINED:
                Map<String, Object> joined = parseOrLog(event, args);
                if (joined != null) {
                    channels.onJoined(ElizaProtocol.channelOf(joined));
                }
                break;
            default:
                onChannelEvent(event, args);
                break;
        }
    }

    private void onAck(Object[] args) {
        Map<String, Object> payload = parseOrLog(ElizaProtocol.EVENT_MESSAGE_ACK, args);
        if (payload == null) {
            return;
        }
        String clientMessageId = ElizaProtocol.string(payload, "clientMessageId");
        if (!acks.acknowledge(clientMessageId, payload)) {
            LOG.debug("Ack for unknown or timed-out message {} on {}", clientMessageId, settings);
        }
    }

    private void onError(Object[] args) {
        Map<String, Object> payload = parseOrLog(ElizaEvents.MESSAGE_ERROR, args);
        String error = payload != null ? ElizaProtocol.string(payload, "error") : null;
        if (error == null) {
            error = "unspecified error";
        }
        if (error.startsWith("Access denied") && channels.onJoinDenied(error)) {
            return;
        }
        if (!acks.reject(error)) {
            // names no channel and claimed by no send: every listener of the connection may want it
            LOG.warn("The Eliza server {} reported an error: {}", settings.displayUrl(), error);
            channels.deliverToAll(ElizaEvents.MESSAGE_ERROR, payload != null ? payload : Map.of("error", error));
        }
    }

    private void onChannelEvent(String event, Object[] args) {
        if (channels.isEmpty()) {
            // a producer-only connection: nobody to read it for
            return;
        }
        Map<String, Object> payload;
        try {
            payload = ElizaProtocol.parse(args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            // the channel is unknown when the payload cannot be read: every listener hears of it
            channels.malformedToAll(event, e);
            return;
        }
        String channelId = ElizaProtocol.channelOf(payload);
        if (ElizaEvents.MESSAGE_COMPLETE.equals(event)) {
            serverInfo.onMessageComplete(rest);
        }
        if (channelId != null) {
            replies.onEvent(channelId, event, payload);
            channels.deliver(channelId, event, payload);
        }
    }

    private Map<String, Object> parseOrLog(String event, Object[] args) {
        try {
            return ElizaProtocol.parse(args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring malformed {} event from Eliza server {}: {}", event, settings.displayUrl(), e.getMessage());
            return null;
        }
    }
}
