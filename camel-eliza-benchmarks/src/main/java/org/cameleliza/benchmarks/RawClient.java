package org.cameleliza.benchmarks;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.client.SocketOptionBuilder;
import okhttp3.OkHttpClient;
import org.cameleliza.component.eliza.ElizaNoDelaySocketFactory;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * The raw {@code io.socket} 2.1.2 client, used as an application would use it without the component: the baseline
 * every component number is divided by.
 */
public final class RawClient {

    static final String MESSAGE_SERVER_ID = "00000000-0000-0000-0000-000000000000";
    /** io.socket's own default client (a read timeout of a minute, for its heartbeats), with TCP_NODELAY on. */
    private static final OkHttpClient NO_DELAY_CLIENT = new OkHttpClient.Builder().readTimeout(1, TimeUnit.MINUTES)
            .socketFactory(new ElizaNoDelaySocketFactory(SocketFactory.getDefault())).build();

    private RawClient() {
    }

    /**
     * A connected socket. {@code websocketOnly}: no HTTP long-polling first (the client's default starts with polling
     * and upgrades); {@code noEcho}: the bare server does not send the client's own messages back to it.
     */
    static Socket connect(String url, String entityId, boolean websocketOnly, boolean noEcho) throws Exception {
        return connect(url, entityId, websocketOnly, noEcho, false);
    }

    /**
     * {@code noDelay}: on sockets with TCP_NODELAY (Nagle's algorithm off), as the component's; otherwise io.socket's
     * own HTTP client, as an application gets it, whose sockets have Nagle's algorithm on.
     */
    static Socket connect(String url, String entityId, boolean websocketOnly, boolean noEcho, boolean noDelay)
            throws Exception {
        SocketOptionBuilder builder = IO.Options.builder().setForceNew(true).setReconnection(false)
                .setAuth(noEcho ? Map.of("entityId", entityId, "benchNoEcho", "true") : Map.of("entityId", entityId));
        if (websocketOnly) {
            builder.setTransports(new String[] { "websocket" });
        }
        IO.Options options = builder.build();
        if (noDelay) {
            options.callFactory = NO_DELAY_CLIENT;
            options.webSocketFactory = NO_DELAY_CLIENT;
        }
        Socket socket = IO.socket(url, options);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
                new IllegalStateException("connect_error: " + (args.length > 0 ? args[0] : ""))));
        socket.connect();
        connected.get(10, TimeUnit.SECONDS);
        if (!websocketOnly) {
            // let the upgrade from polling to WebSocket finish, so that it is not measured
            Thread.sleep(300);
        }
        return socket;
    }

    /** The SEND_MESSAGE envelope with the fields the component sends (ElizaProtocol.sendPayload), built as org.json. */
    public static JSONObject sendEnvelope(String channelId, String entityId, String text, String clientMessageId) {
        try {
            JSONObject payload = new JSONObject();
            payload.put("channelId", channelId);
            payload.put("roomId", channelId);
            payload.put("senderId", entityId);
            payload.put("senderName", "Camel");
            payload.put("message", text);
            payload.put("messageServerId", MESSAGE_SERVER_ID);
            payload.put("serverId", MESSAGE_SERVER_ID);
            payload.put("messageId", clientMessageId);
            payload.put("source", "camel");
            payload.put("metadata", new JSONObject());
            return new JSONObject().put("type", 2).put("payload", payload);
        } catch (JSONException e) {
            throw new IllegalStateException(e);
        }
    }

    static JSONObject joinEnvelope(String channelId, String entityId) {
        try {
            JSONObject payload = new JSONObject();
            payload.put("channelId", channelId);
            payload.put("roomId", channelId);
            payload.put("entityId", entityId);
            payload.put("messageServerId", MESSAGE_SERVER_ID);
            payload.put("serverId", MESSAGE_SERVER_ID);
            return new JSONObject().put("type", 1).put("payload", payload);
        } catch (JSONException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
