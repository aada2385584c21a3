package org.cameleliza.component.eliza.tool;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * MCP's streamable HTTP transport, stateless, apart from any HTTP server: every POST carries one JSON-RPC message and is
 * answered with one JSON document, without session ids, so that a client keeps working when the Camel application
 * restarts (elizaOS's MCP plugin never opens a new session on its own). Guards every request: the Host of a loopback
 * server (against DNS rebinding), the Origin of browsers, and the bearer token. The HTTP servers it runs on adapt their
 * requests and responses to it: {@link ElizaToolHttpHandler} (the embedded server) and
 * {@link ElizaToolPlatformHttpProcessor} (the application's platform-http server).
 */
final class ElizaToolMcpHandler implements McpStatelessServerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaToolMcpHandler.class);
    /** More than any tool call needs: a bigger body is refused before it is read. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /** An answer, as every HTTP server can send it: a status, headers and a body (null for none). */
    record Response(int status, Map<String, String> headers, byte[] body) {

        static Response of(int status) {
            return new Response(status, Map.of(), null);
        }

        Response with(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, Map.copyOf(more), body);
        }
    }

    static final Response TOO_LARGE = Response.of(413);

    private final McpJsonMapper json;
    private final byte[] bearerToken;
    private final Set<String> allowedOrigins;
    private volatile McpStatelessServerHandler handler;
    private volatile boolean loopbackOnly;
    private volatile boolean accepting;

    ElizaToolMcpHandler(McpJsonMapper json, String bearerToken, Set<String> allowedOrigins) {
        this.json = json;
        this.bearerToken = bearerToken == null ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        // nothing of its own to close: the HTTP servers close their connections
        return Mono.empty();
    }

    /**
     * Whether the server listens on a loopback address only: then only loopback host names may be asked for. Known to the
     * embedded server alone; on the platform-http server the Origin check keeps browsers out (they send an Origin with
     * every POST, also after DNS rebinding).
     */
    void loopbackOnly(boolean loopbackOnly) {
        this.loopbackOnly = loopbackOnly;
    }

    /** Until the application has started all its routes, clients are asked to come back: they would see half the tools. */
    void accepting(boolean accepting) {
        this.accepting = accepting;
    }

    static Response methodNotAllowed(String allow) {
        return Response.of(405).with("Allow", allow);
    }

    /**
     * The answer to a request that must not reach the tools (and why, in the log), or null when it may go on.
     *
     * @param header the request's header of a name (the first value), or null
     * @param source where the request comes from, for the log
     */
    Response refusal(UnaryOperator<String> header, String source) {
        String why = null;
        Response refusal = null;
        if (loopbackOnly && !LOOPBACK_NAMES.contains(hostName(header.apply("Host")))) {
            why = "a host name other than a loopback one";
            refusal = Response.of(403);
        } else if (!originAllowed(header.apply("Origin"))) {
            why = "an Origin that is not in allowedOrigins";
            refusal = Response.of(403);
        } else if (!authorized(header.apply("Authorization"))) {
            why = "no valid bearer token";
            refusal = Response.of(401).with("WWW-Authenticate", "Bearer realm=\"eliza-tool\"");
        } else if (!accepting) {
            why = "the application is not started yet";
            refusal = Response.of(503).with("Retry-After", "1");
        }
        if (why != null) {
            LOG.debug("Refused an MCP request {}: {}", source, why);
        }
        return refusal;
    }

    /**
     * Answers the body of a POST that passed {@link #refusal}: at once, or, for a tool call, when the route is done or its
     * timeout runs out, on that thread. A callback rather than a future to return: the route may run on the calling thread
     * (the SDK calls the tool as it is asked to), and a timeout's answer must not wait for it.
     */
    void post(String body, Object requestHeaders, Consumer<Response> answer) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, body);
        } catch (IOException | RuntimeException e) {
            // whatever the SDK's parser throws for a body that is not one JSON-RPC message (a batch, a string, ...);
            // the SDK's response type refuses the null id such an answer has
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", McpSchema.ErrorCodes.PARSE_ERROR);
            error.put("message", "Not a JSON-RPC message: " + e.getMessage());
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
            response.put("id", null);
            response.put("error", error);
            answer.accept(json(400, response));
            return;
        }
        McpTransportContext context = McpTransportContext.create(Map.of("headers", requestHeaders));
        if (message instanceof McpSchema.JSONRPCRequest request) {
            handler.handleRequest(context, request).subscribe(
                    response -> answer.accept(json(200, response)),
                    error -> answer.accept(json(200, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION,
                            request.id(), null, new McpSchema.JSONRPCResponse.JSONRPCError(
                                    McpSchema.ErrorCodes.INTERNAL_ERROR, String.valueOf(error.getMessage()), null)))));
            return;
        }
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            handler.handleNotification(context, notification).subscribe(null, error -> LOG.debug(
                    "MCP notification {} failed: {}", notification.method(), error.toString()));
        }
        // a notification, or a response to a request of ours (a stateless server sends none)
        answer.accept(Response.of(202));
    }

    private Response json(int status, Object message) {
        try {
            return new Response(status, Map.of("Content-Type", "application/json"), json.writeValueAsBytes(message));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write an MCP response: {}", e.toString(), e);
            return Response.of(500);
        }
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
}
