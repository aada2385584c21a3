package org.cameleliza.component.eliza;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The few REST calls of the elizaOS messaging API the component needs (base /api/messaging): the message server id,
 * and a channel's messages for gap recovery. Asynchronous (the JDK's HttpClient); sends the same credentials and
 * headers as the Socket.IO handshake.
 */
public class ElizaRestClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int PAGE_SIZE = 100;
    /** How far back a redelivery looks for its message: beyond that it is sent again. */
    private static final int MAX_SEARCHED = 5000;

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

    /** Messages of a channel created at or after a time, as far as a bound allows. */
    public record History(List<Map<String, Object>> messages, boolean complete) {
    }

    /**
     * The messages of a channel created at or after {@code since} (epoch ms), newest first, paging back with
     * {@code before}; at most {@code max}, and {@link History#complete()} is false when there were more.
     */
    public CompletableFuture<History> messagesSince(String channelId, long since, int max) {
        return messagesSince(channelId, since, max, 0, new ArrayList<>());
    }

    private CompletableFuture<History> messagesSince(
            String channelId, long since, int max, long before, List<Map<String, Object>> into) {
        return messages(channelId, PAGE_SIZE, before).thenCompose(page -> {
            long oldest = Long.MAX_VALUE;
            for (Map<String, Object> message : page) {
                long createdAt = ElizaProtocol.createdAt(message);
                oldest = Math.min(oldest, createdAt);
                if (createdAt >= since) {
                    if (into.size() >= max) {
                        return CompletableFuture.completedFuture(new History(into, false));
                    }
                    into.add(message);
                }
            }
            if (page.size() < PAGE_SIZE || oldest < since) {
                return CompletableFuture.completedFuture(new History(into, true));
            }
            // messages of the same millisecond as the page's oldest may straddle two pages: ask again from just after
            // it (duplicates are the caller's to drop), unless that would ask for the same page again
            long next = oldest + 1 == before ? oldest : oldest + 1;
            return messagesSince(channelId, since, max, next, into);
        });
    }

    /**
     * The stored message of a channel whose client message id (sourceId) is {@code clientMessageId}, among those
     * created at or after {@code notBefore} (epoch ms); empty when there is none.
     */
    public CompletableFuture<Optional<Map<String, Object>>> findByClientMessageId(
            String channelId, String clientMessageId, long notBefore) {
        return messagesSince(channelId, notBefore, MAX_SEARCHED).thenApply(history -> history.messages().stream()
                .filter(m -> clientMessageId.equals(m.get("sourceId"))).findFirst());
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
            throw new CompletionException(new ElizaAuthenticationException(
                    "The Eliza server at " + settings.getKey().getUrl() + " refused GET /api/messaging" + what
                                                                                          + " with HTTP " + status
                                                                                          + ": check the apiKey and authToken options"));
        }
        if (status != 200) {
            throw new CompletionException(new ElizaException(
                    "GET /api/messaging" + what + " on " + settings.getKey().getUrl() + " answered HTTP " + status));
        }
        Map<String, Object> body = ElizaProtocol.parse(response.body());
        Object data = body.get("data");
        if (!(data instanceof Map)) {
            throw new CompletionException(new ElizaException(
                    "GET /api/messaging" + what + " on " + settings.getKey().getUrl() + " answered without data"));
        }
        return data;
    }
}
