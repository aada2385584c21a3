package org.cameleliza.test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The MCP servers of an {@link ElizaTestAgent} and how long it waits for them, immutable: what becomes the
 * {@code mcp} setting of its character, read by {@code @elizaos/plugin-mcp} 1.8.2
 * ({@code {"servers":{"orders":{"type":"streamable-http","url":"...","timeoutInMillis":5000}}}}).
 */
final class McpServers {

    /** No MCP server: the agent gets neither the plugin nor the multi-step mode, and answers as it always did. */
    static final McpServers NONE = new McpServers(Map.of(), null);

    private final Map<String, String> urls;
    private final Duration timeout;

    private McpServers(Map<String, String> urls, Duration timeout) {
        this.urls = urls;
        this.timeout = timeout;
    }

    /** These servers and the server {@code name} at {@code url}. */
    McpServers with(String name, String url) {
        if (name == null || name.isBlank() || !name.equals(name.strip())) {
            throw new IllegalArgumentException("An MCP server needs a name without leading or trailing blanks, got '"
                                               + name + "'");
        }
        if (urls.containsKey(name)) {
            throw new IllegalArgumentException("Two MCP servers named '" + name + "'");
        }
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The URL of MCP server '" + name + "' is not a URL: " + url, e);
        }
        // the plugin's streamable HTTP transport speaks HTTP only; anything else would fail in Node, less clearly
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("The URL of MCP server '" + name + "' must be http:// or https:// with a "
                                               + "host (its streamable HTTP endpoint, e.g. http://127.0.0.1:8080/mcp), got "
                                               + url);
        }
        Map<String, String> added = new LinkedHashMap<>(urls);
        added.put(name, url);
        return new McpServers(added, timeout);
    }

    /** These servers, each waited for at most {@code timeout} per call. */
    McpServers withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() == 0) {
            throw new IllegalArgumentException("An MCP timeout must be at least 1 ms, got " + timeout);
        }
        return new McpServers(urls, timeout);
    }

    /** @throws IllegalArgumentException no server of that name was given */
    void requireServer(String name) {
        if (!urls.containsKey(name)) {
            throw new IllegalArgumentException("No MCP server '" + name + "': give it with usingMcpServer(\"" + name
                                               + "\", url) before the rules that call its tools"
                                               + (urls.isEmpty() ? "" : "; the servers are " + urls.keySet()));
        }
    }

    /** The plugin's {@code mcp} setting; empty without servers (a timeout alone changes nothing). */
    Optional<Map<String, Object>> settings() {
        if (urls.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> servers = new LinkedHashMap<>();
        urls.forEach((name, url) -> {
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("type", "streamable-http");
            server.put("url", url);
            if (timeout != null) {
                server.put("timeoutInMillis", timeout.toMillis());
            }
            servers.put(name, server);
        });
        return Optional.of(Map.of("servers", servers));
    }
}
