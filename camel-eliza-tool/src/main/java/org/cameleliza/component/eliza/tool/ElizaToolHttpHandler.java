package org.cameleliza.component.eliza.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP endpoint on the embedded server (the JDK's HTTP server): adapts its exchanges to {@link ElizaToolMcpHandler},
 * and checks the path, which the embedded server does not route. A GET opens a stream of server notifications only when
 * they are switched on (see {@link ElizaToolComponent#setToolChangeNotifications(boolean)}); otherwise it is answered
 * 405, which the MCP specification allows and every client expects.
 */
final class ElizaToolHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaToolHttpHandler.class);

    private final String path;
    private final ElizaToolMcpHandler mcp;
    private final boolean notifications;
    private final Set<OutputStream> notificationStreams = new CopyOnWriteArraySet<>();

    ElizaToolHttpHandler(String path, ElizaToolMcpHandler mcp, boolean notifications) {
        this.path = path;
        this.mcp = mcp;
        this.notifications = notifications;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!path.equals(exchange.getRequestURI().getPath())) {
                LOG.debug("Refused an MCP request from {}: unknown path", exchange.getRemoteAddress());
                send(exchange, ElizaToolMcpHandler.Response.of(404));
                return;
            }
            ElizaToolMcpHandler.Response refusal = mcp.refusal(exchange.getRequestHeaders()::getFirst,
                    "from " + exchange.getRemoteAddress());
            if (refusal != null) {
                send(exchange, refusal);
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "POST" -> post(exchange);
                case "GET" -> get(exchange);
                default -> send(exchange, ElizaToolMcpHandler.methodNotAllowed(notifications ? "GET, POST" : "POST"));
            }
        } catch (IOException e) {
            LOG.debug("MCP request failed (the client went away?): {}", e.toString());
            exchange.close();
        } catch (RuntimeException e) {
            LOG.warn("MCP request failed: {}", e.toString(), e);
            exchange.close();
        }
    }

    private void post(HttpExchange exchange) throws IOException {
        String body = readBody(exchange);
        if (body == null) {
            send(exchange, ElizaToolMcpHandler.TOO_LARGE);
            return;
        }
        // a tool call is answered when the route is done or its timeout runs out, whichever thread that is on
        mcp.post(body, exchange.getRequestHeaders(), response -> sendQuietly(exchange, response));
    }

    private void get(HttpExchange exchange) throws IOException {
        if (!notifications) {
            send(exchange, ElizaToolMcpHandler.methodNotAllowed("POST"));
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

    void closeNotificationStreams() {
        notificationStreams.forEach(ElizaToolHttpHandler::closeQuietly);
        notificationStreams.clear();
    }

    /** The body as text, or null when it is bigger than {@link ElizaToolMcpHandler#MAX_BODY_BYTES}. */
    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(ElizaToolMcpHandler.MAX_BODY_BYTES + 1);
            return bytes.length > ElizaToolMcpHandler.MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void sendQuietly(HttpExchange exchange, ElizaToolMcpHandler.Response response) {
        try {
            send(exchange, response);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not answer an MCP request (the client went away?): {}", e.toString());
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, ElizaToolMcpHandler.Response response) throws IOException {
        try (exchange) {
            response.headers().forEach(exchange.getResponseHeaders()::set);
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body == null ? -1 : body.length);
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
