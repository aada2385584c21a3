package org.cameleliza.component.eliza;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The few REST calls of the elizaOS messaging API the component needs (base /api/messaging): the message server id,
 * and a channel's messages for gap recovery. Asynchronous (the JDK's HttpClient); sends the same credentials and
 * headers as the Socket.IO handshake.
 */
public class ElizaRestClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final ElizaConnectionSettings settings;
    private final HttpClient http;
    private final String base;
    private volatile boolean legacyRoutes;

    public ElizaRestClient(ElizaConnectionSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT);
        if (settings.getSslContext() != null) {
            builder.sslContext(settings.getSslContext());
        }
        this.http = builder.build();
        this.base = stripTrailingSlash(settings.getKey().getUrl()) + "/api/messaging";
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The server's message server id, or null when the server has no such endpoint (elizaOS 1.5 and older). Fails
     * with {@link ElizaAuthenticationException} on 401/403.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<String> currentMessageServerId() {
        return get("/message-server/current").thenApply(response -> {
            if (response.statusCode() == 404) {
                return null;
            }
            Map<String, Object> data = (Map<String, Object>) data(response, "/message-server/current");
            Object id = data.get("messageServerId");
            return id != null ? id.toString() : null;
        });
    }

    /**
     * One page of a channel's messages, newest first, created before {@code before} (epoch ms; 0 = now). elizaOS 1.5
     * and older name the route /central-channels: used when /channels is not found.
     */
    public CompletableFuture<List<Map<String, Object>>> messages(String channelId, int limit, long before) {
        String query = "/" + channelId + "/messages?limit=" + limit + (before > 0 ? "&before=" + before : "");
        String preferred = legacyRoutes ? "/central-channels" : "/channels";
        return get(preferred + query).thenCompose(response -> {
            if (response.statusCode() == 404 && !legacyRoutes) {
                return get("/central-channels" + query).thenApply(legacy -> {
                    if (legacy.statusCode() != 404) {
                        legacyRoutes = true;
                    }
                    return page(legacy, channelId);
                });
            }
            return CompletableFuture.completedFuture(page(response, channelId));
        });
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> page(HttpResponse<String> response, String channelId) {
        if (response.statusCode() == 404) {
            // neither route knows the channel: it has no messages yet
            return List.of();
        }
        Map<String, Object> data = (Map<String, Object>) data(response, "/channels/" + channelId + "/messages");
        Object messages = data.get("messages");
        return messages instanceof List ? new ArrayList<>((List<Map<String, Object>>) messages) : List.of();
    }

    /**
     * The stored message of a channel whose client message id (sourceId) is {@code clientMessageId}, looking back to
     * messages created at {@code notBefore} (epoch ms) at most; empty when there is none.
     */
    public CompletableFuture<java.util.Optional<Map<String, Object>>> findByClientMessageId(
            String channelId, String clientMessageId, long notBefore) {
        return findByClientMessageId(channelId, clientMessageId, notBefore, 0, 0);
    }

    private CompletableFuture<java.util.Optional<Map<String, Object>>> findByClientMessageId(
            String channelId, String clientMessageId, long notBefore, long before, int pages) {
        return messages(channelId, 100, before).thenCompose(page -> {
            long oldest = Long.MAX_VALUE;
            for (Map<String, Object> message : page) {
                if (clientMessageId.equals(message.get("sourceId"))) {
                    return CompletableFuture.completedFuture(java.util.Optional.of(message));
                }
                oldest = Math.min(oldest, ElizaProtocol.createdAt(message));
            }
            if (page.size() < 100 || oldest < notBefore || pages >= 50) {
                return CompletableFuture.completedFuture(java.util.Optional.empty());
            }
            return findByClientMessageId(channelId, clientMessageId, notBefore, oldest + 1 == before ? oldest : oldest + 1,
                    pages + 1);
        });
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET();
        ElizaConnectionKey key = settings.getKey();
        settings.getHttpHeaders().forEach(request::header);
        if (key.getApiKey() != null) {
            request.header("X-API-KEY", key.getApiKey());
        }
        if (key.getAuthToken() != null) {
            request.header("Authorization", "Bearer " + key.getAuthToken());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Object data(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new java.util.concurrent.CompletionException(new ElizaAuthenticationException(
                    "The Eliza server at " + settings.getKey().getUrl() + " refused GET /api/messaging" + what
                                                                                          + " with HTTP " + status
                                                                                          + ": check the apiKey and authToken options"));
        }
        if (status != 200) {
            throw new java.util.concurrent.CompletionException(new ElizaException(
                    "GET /api/messaging" + what + " on " + settings.getKey().getUrl() + " answered HTTP " + status));
        }
        Map<String, Object> body = ElizaProtocol.parse(response.body());
        Object data = body.get("data");
        if (!(data instanceof Map)) {
            throw new java.util.concurrent.CompletionException(new ElizaException(
                    "GET /api/messaging" + what + " on " + settings.getKey().getUrl() + " answered without data"));
        }
        return data;
    }
}
