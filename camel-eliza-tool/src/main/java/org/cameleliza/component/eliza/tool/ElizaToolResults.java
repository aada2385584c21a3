package org.cameleliza.component.eliza.tool;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.apache.camel.Exchange;

/** Turns a route's outcome into what the agent reads: a tool result, or a tool error (MCP isError) with its reason. */
final class ElizaToolResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ElizaToolResults() {
    }

    /** The answer to a call whose route is done: its body, or its exception as a tool error. */
    static McpSchema.CallToolResult of(Exchange exchange) {
        Exception failure = exchange.getException();
        if (failure != null) {
            return error(messageOf(failure));
        }
        String text = text(exchange);
        if (Boolean.TRUE.equals(exchange.getMessage().getHeader(ElizaToolConstants.TOOL_ERROR, Boolean.class))) {
            return error(text.isEmpty() ? "The tool failed" : text);
        }
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(false).build();
    }

    static McpSchema.CallToolResult error(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }

    /** The body as the agent's model reads it: text as it is, structured data (maps, lists, arrays) as JSON. */
    static String text(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return "";
        }
        if (body instanceof CharSequence chars) {
            return chars.toString();
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body instanceof Map || body instanceof Collection || body.getClass().isArray() && !isPrimitiveArray(body)) {
            return toJson(body);
        }
        String converted = exchange.getMessage().getBody(String.class);
        return converted == null ? String.valueOf(body) : converted;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write the tool's value as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The reason of a failure as the agent reads it: the message, else the kind of failure. */
    static String messageOf(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static boolean isPrimitiveArray(Object array) {
        return array.getClass().getComponentType().isPrimitive() && Array.getLength(array) >= 0;
    }
}
