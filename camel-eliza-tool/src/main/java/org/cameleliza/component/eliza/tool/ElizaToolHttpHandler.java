package org.cameleliza.component.eliza.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * MCP's streamable HTTP transport, stateless: every POST carries one JSON-RPC message and is answered with one JSON
 * document, without session ids, so that a client keeps working when the Camel application restarts (elizaOS's MCP
 * plugin never opens a new session on its own). Guards every request: the path, the Host of a loopback server (against
 * DNS rebinding), the Origin of browsers, and the bearer token. A GET opens a stream of server notifications only when
 * they are switched on (see {@link ElizaToolComponent#setToolChangeNotifications(boolean)}); otherwise it is answered
 * 405, which the MCP specification allows and every client expects.
 */
final class ElizaToolHttpHandler implements HttpHandler, McpStatelessServerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaToolHttpHandler.class);
    /** More than any tool call needs: a bigger body is refused before it is read. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final String path;
    private final McpJsonMapper json;
    private final byte[] bearerToken;
    private final Set<String> allowedOrigins;
    private final boolean notifications;
    private final Set<OutputStream> notificationStreams = new CopyOnWriteArraySet<>();
    private volatile McpStatelessServerHandler handler;
    private volatile boolean loopbackOnly;
    private volatile boolean accepting;

    ElizaToolHttpHandler(String path, McpJsonMapper json, String bearerToken, Set<String> allowedOrigins,
                         boolean notifications) {
        this.path = path;
        this.json = json;
        this.bearerToken = bearerToken == null ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
        this.allowedOrigins = allowedOrigins;
        this.notifications = notifications;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::closeNotificationStreams);
    }

    String path() {
        return path;
    }

    /** Whether the server is bound to a loopback address: then only loopback host names may be asked for. */
    void boundTo(InetAddress address) {
        this.loopbackOnly = address.isLoopbackAddress();
    }

    /** Until the application has started all its routes, clients are asked to come back: they would see half the tools. */
    void accepting(boolean accepting) {
        this.accepting = accepting;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String refusal = refusal(exchange);
            if (refusal != null) {
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "POST" -> post(exchange);
                case "GET" -> get(exchange);
                default -> {
                    exchange.getResponseHeaders().set("Allow", notifications ? "GET, POST" : "POST");
                    send(exchange, 405, null);
                }
            }
        } catch (IOException e) {
            LOG.debug("MCP request failed (the client went away?): {}", e.toString());
            exchange.close();
        } catch (RuntimeException e) {
            LOG.warn("MCP request failed: {}", e.toString(), e);
            exchange.close();
        }
    }

    /** Answers a request that must not reach the tools, and says why (in the log); null when it may go on. */
    private String refusal(HttpExchange exchange) throws IOException {
        String why = null;
        int status = 0;
        if (!path.equals(exchange.getRequestURI().getPath())) {
            why = "unknown path";
            status = 404;
        } else if (loopbackOnly && !LOOPBACK_NAMES.contains(hostName(exchange.getRequestHeaders().getFirst("Host")))) {
            why = "a host name other than a loopback one";
            status = 403;
        } else if (!originAllowed(exchange.getRequestHeaders().getFirst("Origin"))) {
            why = "an Origin that is not in allowedOrigins";
            status = 403;
        } else if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"eliza-tool\"");
            why = "no valid bearer token";
            status = 401;
        } else if (!accepting) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            why = "the application is not started yet";
            status = 503;
        }
        if (why != null) {
            LOG.debug("Refused an MCP request from {}: {}", exchange.getRemoteAddress(), why);
            send(exchange, status, null);
        }
        return why;
    }

    private void post(HttpExchange exchange) throws IOException {
        String body = readBody(exchange);
        if (body == null) {
            send(exchange, 413, null);
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, body);
        } catch (IOException | RuntimeException e) {
            // whatever the SDK's parser throws for a body that is not one JSON-RPC message (a batch, a string, ...)
            // the SDK's response type refuses the null id such an answer has
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", McpSchema.ErrorCodes.PARSE_ERROR);
            error.put("message", "Not a JSON-RPC message: " + e.getMessage());
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
            response.put("id", null);
            response.put("error", error);
            sendJson(exchange, 400, response);
            return;
        }
        McpTransportContext context = McpTransportContext.create(Map.of("headers", exchange.getRequestHeaders()));
        if (message instanceof McpSchema.JSONRPCRequest request) {
            // answered when the route is done, on its thread: no HTTP thread waits for a tool
            handler.handleRequest(context, request).subscribe(
                    response -> sendJsonQuietly(exchange, 200, response),
                    error -> sendJsonQuietly(exchange, 200, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION,
                            request.id(), null, new McpSchema.JSONRPCResponse.JSONRPCError(
                                    McpSchema.ErrorCodes.INTERNAL_ERROR, String.valueOf(error.getMessage()), null))));
        } else if (message instanceof McpSchema.JSONRPCNotification notification) {
            handler.handleNotification(context, notification).subscribe(null, error -> LOG.debug(
                    "MCP notification {} failed: {}", notification.method(), error.toString()));
            send(exchange, 202, null);
        } else {
            // a response to a request of ours: a stateless server sends none
            send(exchange, 202, null);
        }
    }

    private void get(HttpExchange exchange) throws IOException {
        if (!notifications) {
            exchange.getResponseHeaders().set("Allow", "POST");
            send(exchange, 405, null);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream stream = exchange.getResponseBody();
        // a comment: lets the client know the stream is open before the first notification
        stream.write(": eliza-tool notifications\n\n".getBytes(StandardCharsets.UTF_8));
        stream.flush();
        notificationStreams.add(stream);
    }

    /** Sends a notification (a JSON-RPC message without id) to every client with an open GET stream. */
    void notifyClients(String method) {
        if (notificationStreams.isEmpty()) {
            return;
        }
        byte[] event = ("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        for (OutputStream stream : notificationStreams) {
            try {
                stream.write(event);
                stream.flush();
            } catch (IOException e) {
                // the client went away
                notificationStreams.remove(stream);
                closeQuietly(stream);
            }
        }
    }

    int notificationStreamCount() {
        return notificationStreams.size();
    }

    private void closeNotificationStreams() {
        notificationStreams.forEach(ElizaToolHttpHandler::closeQuietly);
        notificationStreams.clear();
    }

    private boolean originAllowed(String origin) {
        return origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }

    private boolean authorized(String authorization) {
        if (bearerToken == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // constant time: the answer's timing tells nothing about how much of the token was right
        return MessageDigest.isEqual(given, bearerToken);
    }

    /** The host name of a Host header (without its port), lower case; "" when there is none. */
    static String hostName(String host) {
        if (host == null || host.isBlank()) {
            return "";
        }
        try {
            String name = URI.create("http://" + host.trim()).getHost();
            return name == null ? "" : name.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The body as text, or null when it is bigger than {@link #MAX_BODY_BYTES}. */
    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private void sendJsonQuietly(HttpExchange exchange, int status, Object message) {
        try {
            sendJson(exchange, status, message);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not answer an MCP request (the client went away?): {}", e.toString());
            exchange.close();
        }
    }

    private void sendJson(HttpExchange exchange, int status, Object message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, json.writeValueAsBytes(message));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
