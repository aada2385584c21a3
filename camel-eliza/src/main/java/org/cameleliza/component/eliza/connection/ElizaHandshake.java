package org.cameleliza.component.eliza.connection;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.socket.client.IO;
import okhttp3.OkHttpClient;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.ElizaNoDelaySocketFactory;
import org.cameleliza.component.eliza.protocol.ElizaPacketDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Socket.IO handshake of a connection sends (the entity, the credentials, the extra headers, the reconnect
 * policy) and how the transport's refusals read. The Socket.IO client reads the auth and header maps again on every
 * (re)connect, so {@link #refresh()} renews an auth token in place, with what {@link #readToken()} read last.
 */
public final class ElizaHandshake {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaHandshake.class);
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 20000;

    private final ElizaConnectionSettings settings;
    // read by Socket.IO's thread when it opens a transport, written by refresh()
    private final Map<String, String> auth = new ConcurrentHashMap<>();
    private final Map<String, List<String>> headers = new ConcurrentHashMap<>();

    ElizaHandshake(ElizaConnectionSettings settings) {
        this.settings = settings;
        auth.put("entityId", settings.getEntityId());
        settings.getHttpHeaders().forEach((name, value) -> headers.put(name, List.of(value)));
    }

    /** The root of a server url: the path of a Socket.IO URL names a namespace, and elizaOS uses the root one. */
    static URI serverRoot(String url) {
        URI uri = URI.create(url);
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    /**
     * The Socket.IO client's options: the connection's reconnect policy, handshake, HTTP client, and the packet
     * decoder ({@link ElizaPacketDecoder}; {@code listening} tells it whether anyone listens to channel events).
     */
    IO.Options options(OkHttpClient http, BooleanSupplier listening) {
        int attempts = settings.getMaxReconnectAttempts();
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(true)
                .setReconnectionDelay(settings.getReconnectInitialDelay())
                .setReconnectionDelayMax(settings.getReconnectMaxDelay())
                .setReconnectionAttempts(attempts > 0 ? attempts : Integer.MAX_VALUE)
                .setTimeout(HANDSHAKE_TIMEOUT_MILLIS)
                .setAuth(auth)
                .setExtraHeaders(headers)
                .build();
        // TCP_NODELAY on the WebSocket's and the long-polling's sockets, whoever's factory made the client
        OkHttpClient noDelay = ElizaNoDelaySocketFactory.wrap(http);
        options.callFactory = noDelay;
        options.webSocketFactory = noDelay;
        options.decoder = new ElizaPacketDecoder(listening);
        return options;
    }

    /**
     * Reads the auth token again from its file or supplier, which may block, so never on Socket.IO's thread: on a thread
     * of the connection's own ({@link ElizaEventLoop#offLoop}) before the first connect and after every disconnect,
     * failed attempt and refusal, so that the next attempt sends the renewed token. A token
     * that cannot be read now keeps the previous one: a vault or a file may be back by the next attempt, and the server,
     * not us, decides whether a token is refused.
     */
    void readToken() {
        ElizaCredentials credentials = settings.getCredentials();
        if (!credentials.readsToken()) {
            return;
        }
        try {
            credentials.readAuthToken();
        } catch (ElizaAuthenticationException e) {
            LOG.warn("{}; connecting to {} with the previous token", e.getMessage(), settings.displayUrl());
        }
    }

    /**
     * Reads the token again when it comes from a file or a supplier, off Socket.IO's thread, then runs {@code then} on
     * the loop; at once when there is nothing to read. On the loop.
     */
    void readTokenThen(ElizaEventLoop loop, Runnable then) {
        if (settings.getCredentials().readsToken()) {
            loop.offLoop(this::readToken, then);
        } else {
            then.run();
        }
    }

    /**
     * Puts the credentials as last read where the next handshake reads them. Called before the first connect and
     * before every reconnect attempt, on Socket.IO's thread right before it opens the transport: it never blocks.
     */
    void refresh() {
        ElizaCredentials credentials = settings.getCredentials();
        if (credentials.apiKey() != null) {
            auth.put("apiKey", credentials.apiKey());
            headers.put("x-api-key", List.of(credentials.apiKey()));
        }
        String token = credentials.authToken();
        if (token != null) {
            auth.put("token", token);
            headers.put("Authorization", List.of("Bearer " + token));
        } else {
            auth.remove("token");
            headers.remove("Authorization");
        }
        // what the CONNECT packet about to be encoded carries: Socket.IO's own logs must not show it
        ElizaSocketLogMask.register(this, Arrays.asList(credentials.apiKey(), token));
    }

    /** The connection is closed: its credentials are sent no more. */
    void close() {
        ElizaSocketLogMask.unregister(this);
    }

    /** The polling transport reports an HTTP error status as the message of the error's cause. */
    static String httpStatusOf(Object error) {
        for (Throwable t = error instanceof Throwable ? (Throwable) error : null; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.matches("\\d{3}")) {
                return message;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** A transport error as one line: its message and the chain of its causes. */
    static String describe(Object error) {
        if (error instanceof Throwable) {
            Throwable t = (Throwable) error;
            StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
            for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                sb.append(": ").append(cause.getClass().getSimpleName());
                if (cause.getMessage() != null) {
                    sb.append(" ").append(cause.getMessage());
                }
            }
            return sb.toString();
        }
        return String.valueOf(error);
    }
}
