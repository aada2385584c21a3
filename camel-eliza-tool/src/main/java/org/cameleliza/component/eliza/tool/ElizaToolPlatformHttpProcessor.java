package org.cameleliza.component.eliza.tool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The MCP endpoint on the application's platform-http server: the processor of the route
 * {@code from("platform-http:<path>")} the component adds, adapting its exchanges to {@link ElizaToolMcpHandler}. The
 * platform server routes the path, and its port, TLS and authentication apply. Asynchronous: the exchange is done when
 * the tool's route is, or its timeout runs out (whether the platform server holds a thread of its own meanwhile is up to
 * it: Vert.x's holds a worker thread).
 */
final class ElizaToolPlatformHttpProcessor extends AsyncProcessorSupport {

    private final ElizaToolMcpHandler mcp;
    private final Executor executor;

    ElizaToolPlatformHttpProcessor(ElizaToolMcpHandler mcp, Executor executor) {
        this.mcp = mcp;
        this.executor = executor;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message in = exchange.getMessage();
        ElizaToolMcpHandler.Response refusal = mcp.refusal(name -> header(in, name),
                "to " + exchange.getFromEndpoint());
        if (refusal == null && !"POST".equalsIgnoreCase(header(in, Exchange.HTTP_METHOD))) {
            // GET too: the stream of notifications is the embedded server's only
            refusal = ElizaToolMcpHandler.methodNotAllowed("POST");
        }
        String body = null;
        if (refusal == null) {
            try {
                body = body(in);
            } catch (IOException | InvalidPayloadException e) {
                // a body Camel cannot read: the platform server answers 500
                exchange.setException(e);
                callback.done(true);
                return true;
            }
            if (body == null) {
                refusal = ElizaToolMcpHandler.TOO_LARGE;
            }
        }
        if (refusal != null) {
            respond(exchange, refusal);
            callback.done(true);
            return true;
        }
        String message = body;
        Map<String, Object> headers = new LinkedHashMap<>(in.getHeaders());
        try {
            // a tool's route runs on the thread that hands the call to the MCP server, which must not be the platform
            // server's: when that thread waits for the exchange, the answer of a timeout would wait for the route
            executor.execute(() -> mcp.post(message, headers, response -> {
                respond(exchange, response);
                callback.done(false);
            }));
        } catch (RejectedExecutionException e) {
            // the component is stopping
            respond(exchange, ElizaToolMcpHandler.Response.of(503).with("Retry-After", "1"));
            callback.done(true);
            return true;
        }
        return false;
    }

    /** The first value of a header: a header sent twice is a list in the Camel message. */
    private static String header(Message in, String name) {
        Object value = in.getHeader(name);
        if (value instanceof List<?> values) {
            value = values.isEmpty() ? null : values.get(0);
        }
        return value == null ? null : value.toString();
    }

    /**
     * The body as text, whatever the platform server gives (a stream, bytes, a String, a Vert.x buffer: Camel converts),
     * or null when it is bigger than {@link ElizaToolMcpHandler#MAX_BODY_BYTES}. MCP's JSON is UTF-8.
     */
    private static String body(Message in) throws IOException, InvalidPayloadException {
        Object body = in.getBody();
        byte[] bytes;
        if (body == null) {
            bytes = new byte[0];
        } else if (body instanceof InputStream stream) {
            // a stream is read no further than the limit
            try (stream) {
                bytes = stream.readNBytes(ElizaToolMcpHandler.MAX_BODY_BYTES + 1);
            }
        } else {
            bytes = in.getMandatoryBody(byte[].class);
        }
        return bytes.length > ElizaToolMcpHandler.MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void respond(Exchange exchange, ElizaToolMcpHandler.Response response) {
        Message out = exchange.getMessage();
        // platform-http copies the message's headers into the response: the request's (its Authorization among them)
        // must not go back to the client, only the answer's own
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        response.headers().forEach(out::setHeader);
        // an empty body, rather than none: a length of 0 instead of a chunked response
        out.setBody(response.body() == null ? new byte[0] : response.body());
    }
}
