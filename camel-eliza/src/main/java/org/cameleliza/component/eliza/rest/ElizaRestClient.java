package org.cameleliza.component.eliza.rest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaNoDelaySocketFactory;
import org.cameleliza.component.eliza.ElizaRateLimitedException;
import org.cameleliza.component.eliza.connection.ElizaCredentials;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;

/**
 * The few REST calls of the elizaOS API the component needs: the server's version, the message server id, and a
 * channel's stored messages (gap recovery, the redelivery check, matching a reply to its request). It uses the
 * connection's HTTP client, so TLS, proxies and headers are configured once, and completes every future on the
 * connection's executor: nothing of the caller runs on an HTTP thread.
 */
public final class ElizaRestClient {

    private static final String MESSAGING = "/api/messaging";
    private static final int PAGE_SIZE = 100;
    /** How far back a redelivery looks for its message: beyond that it is sent again. */
    private static final int MAX_SEARCHED = 5000;
    /** How far back a request looks for a reply stored while it could not hear it: a few pages of the REST budget. */
    private static final int MAX_REPLIES_SEARCHED = 300;

    private final ElizaConnectionSettings settings;
    private final OkHttpClient http;
    private final Executor callbacks;
    private final ElizaRestBudget budget;
    /** Whether a channel's routes are /channels (1.6+) or /central-channels; null: not known, try both. */
    private volatile Boolean channelRoutes;

    public ElizaRestClient(ElizaConnectionSettings settings, OkHttpClient http, Executor callbacks) {
        this.settings = settings;
        // TCP_NODELAY on every socket of the REST calls, whoever's factory made the client (ElizaNoDelaySocketFactory).
        // A token from a file or a supplier is read again for every request, on OkHttp's thread where that may block
        // (the socket's token is read before each attempt, but a socket can outlive a token by hours); the same
        // connections and threads as the socket's
        OkHttpClient noDelay = ElizaNoDelaySocketFactory.wrap(http);
        this.http = settings.getCredentials().readsToken()
                ? noDelay.newBuilder().addInterceptor(this::withFreshToken).build() : noDelay;
        this.callbacks = callbacks;
        this.budget = new ElizaRestBudget(settings.displayUrl());
    }

    /** What this client spent of the server's REST budget, and whether it waits for the server's rate limit. */
    public ElizaRestBudget budget() {
        return budget;
    }

    /** An HTTP answer: its status, and its JSON body when the status is 2xx (parsed on OkHttp's thread). */
    record Answer(int status, Map<String, Object> json) {
    }

    String displayUrl() {
        return settings.displayUrl();
    }

    /** What GET /message-server/current told: whether the server offers it, and the id (null: the default one). */
    public record MessageServer(boolean offered, String id) {
    }

    /** Uses the routes of this version from now on: never the other family, which 1.6.5 answers with errors. */
    public void useRoutesOf(ElizaServerVersion version) {
        channelRoutes = version.hasChannelRoutes();
    }

    /**
     * The version the server reports (GET /api/system/version, every line from 1.2), or null when it reports none.
     * Fails with {@link ElizaAuthenticationException} on 401/403, and with {@link ElizaException} when the server could
     * not answer now (429, 5xx): that is no answer about its version.
     */
    public CompletableFuture<String> serverVersion() {
        return get("/api/system/version").thenApply(answer -> {
            if (answer.status() == 401 || answer.status() == 403) {
                throw refused("/api/system/version", answer.status());
            }
            if (answer.status() >= 500) {
                throw new CompletionException(new ElizaException(
                        "GET /api/system/version on " + settings.displayUrl() + " answered HTTP " + answer.status()));
            }
            if (answer.status() != 200) {
                return null;
            }
            Object version = answer.json().get("version");
            return version != null ? version.toString() : null;
        });
    }

    /**
     * The server's message server id; not offered by elizaOS 1.5 and older. Fails with
     * {@link ElizaAuthenticationException} on 401/403.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<MessageServer> currentMessageServerId() {
        return get(MESSAGING + "/message-server/current").thenApply(answer -> {
            if (answer.status() == 404) {
                return new MessageServer(false, null);
            }
            Map<String, Object> data = (Map<String, Object>) data(answer, "/message-server/current");
            Object id = data.get("messageServerId");
            return new MessageServer(true, id != null ? id.toString() : null);
        });
    }

    /**
     * One page of a channel's messages, newest first, created before {@code before} (epoch ms; 0 = now). elizaOS 1.5
     * and older name the route /central-channels; while the version is not known, that is tried when /channels is not
     * found.
     */
    CompletableFuture<List<Map<String, Object>>> messages(String channelId, int limit, long before) {
        String query = "/" + channelId + "/messages?limit=" + limit + (before > 0 ? "&before=" + before : "");
        Boolean known = channelRoutes;
        String preferred = MESSAGING + (Boolean.FALSE.equals(known) ? "/central-channels" : "/channels");
        return get(preferred + query).thenCompose(answer -> {
            if (answer.status() == 404 && known == null) {
                return get(MESSAGING + "/central-channels" + query).thenApply(legacy -> {
                    if (legacy.status() != 404) {
                        channelRoutes = false;
                    }
                    return page(legacy, channelId);
                });
            }
            return CompletableFuture.completedFuture(page(answer, channelId));
        });
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> page(Answer answer, String channelId) {
        if (answer.status() == 404) {
            // neither route knows the channel: it has no messages yet
            return List.of();
        }
        Map<String, Object> data = (Map<String, Object>) data(answer, "/channels/" + channelId + "/messages");
        Object messages = data.get("messages");
        return messages instanceof List ? new ArrayList<>((List<Map<String, Object>>) messages) : List.of();
    }

    /**
     * Messages of a channel, newest first. {@code complete} is false when a bound cut the history short (the oldest
     * ones are missing); {@code reachedKnown} tells whether the paging stopped at a message already known.
     */
    public record History(List<Map<String, Object>> messages, boolean complete, boolean reachedKnown, long newest) {
    }

    /**
     * The messages of a channel created at or after {@code since} (epoch ms), newest first, paging back with
     * {@code before}; at most {@code max}.
     */
    public CompletableFuture<History> messagesSince(String channelId, long since, int max) {
        return page(channelId, m -> ElizaProtocol.createdAt(m) < since, max, 0, new ArrayList<>());
    }

    /**
     * The messages of a channel newer than the newest one {@code known} accepts, newest first; at most {@code max}.
     * Used after a restart: the idempotent repository knows what was delivered before.
     */
    public CompletableFuture<History> messagesAfter(
            String channelId, Predicate<Map<String, Object>> known, int max, Executor where) {
        return page(channelId, known, max, 0, new ArrayList<>(), new HashSet<>(), where);
    }

    private CompletableFuture<History> page(
            String channelId, Predicate<Map<String, Object>> stop, int max, long before, List<Map<String, Object>> into) {
        return page(channelId, stop, max, before, into, new HashSet<>(), callbacks);
    }

    /** Pages back through a channel's history until {@code stop} accepts a message; {@code stop} runs on {@code where}. */
    private CompletableFuture<History> page(
            String channelId, Predicate<Map<String, Object>> stop, int max, long before, List<Map<String, Object>> into,
            Set<Object> seen, Executor where) {
        return messages(channelId, PAGE_SIZE, before).thenComposeAsync(page -> {
            long oldest = Long.MAX_VALUE;
            long newest = newest(into, page);
            for (Map<String, Object> message : page) {
                if (stop.test(message)) {
                    return CompletableFuture.completedFuture(new History(into, true, true, newest));
                }
                oldest = Math.min(oldest, ElizaProtocol.createdAt(message));
                if (seen.add(message.get("id"))) {
                    if (into.size() >= max) {
                        return CompletableFuture.completedFuture(new History(into, false, false, newest));
                    }
                    into.add(message);
                }
            }
            if (page.size() < PAGE_SIZE) {
                return CompletableFuture.completedFuture(new History(into, true, false, newest));
            }
            // messages of the same millisecond as the page's oldest may straddle two pages: ask again from just after
            // it (duplicates are skipped above), unless that would ask for the same page again
            long next = oldest + 1 == before ? oldest : oldest + 1;
            return page(channelId, stop, max, next, into, seen, where);
        }, where);
    }

    /** The creation time of the channel's newest message: the first of what was read, or -1 when there is none. */
    private static long newest(List<Map<String, Object>> into, List<Map<String, Object>> page) {
        if (!into.isEmpty()) {
            return ElizaProtocol.createdAt(into.get(0));
        }
        return page.isEmpty() ? -1 : ElizaProtocol.createdAt(page.get(0));
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

    /**
     * The stored messages of a channel that came after its message {@code messageId}, oldest first: whatever may
     * answer it. {@code found}: paging reached that message, so {@code after} holds every message since it; else
     * {@code after} holds the newest ones only, and their place says nothing about what they answer.
     */
    public record Answers(List<Map<String, Object>> after, boolean found) {
    }

    public CompletableFuture<Answers> messagesAnswering(String channelId, String messageId) {
        return page(channelId, m -> messageId.equals(String.valueOf(m.get("id"))), MAX_REPLIES_SEARCHED, 0,
                new ArrayList<>()).thenApply(history -> {
                    List<Map<String, Object>> oldestFirst = new ArrayList<>(history.messages());
                    Collections.reverse(oldestFirst);
                    return new Answers(oldestFirst, history.reachedKnown());
                });
    }

    /** The stored message with this id among the newest of its channel; empty when it is not (or no longer) there. */
    public CompletableFuture<Optional<Map<String, Object>>> findRecent(String channelId, String messageId, int newest) {
        return messages(channelId, newest, 0).thenApply(page -> page.stream()
                .filter(m -> messageId.equals(String.valueOf(m.get("id")))).findFirst());
    }

    private CompletableFuture<Answer> get(String path) {
        return call("GET", path, null);
    }

    /**
     * Makes a request (a JSON body, or none) and completes with its answer on the connection's executor. While the
     * server's rate limit is spent (it answered 429), no request is made: the future fails at once with
     * {@link ElizaRateLimitedException}, as it does on the 429 itself. The body is parsed here, on OkHttp's thread: a
     * page of a hundred messages is no work for the connection's thread, which carries every connection's traffic.
     */
    CompletableFuture<Answer> call(String method, String path, String json) {
        String request = method + " " + pathOnly(path);
        ElizaRateLimitedException paused = budget.pausedError(request);
        if (paused != null) {
            return CompletableFuture.failedFuture(paused);
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Request.Builder builder = ElizaRestRequests.builder(settings, method, path, json);
        budget.spent();
        http.newCall(builder.build()).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                handOver(answer, null, new ElizaConnectionException(
                        request + " on " + settings.displayUrl() + " failed: " + e.getMessage(), e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (ResponseBody body = response.body()) {
                    int status = response.code();
                    if (status == 429) {
                        handOver(answer, null, budget.rateLimited(request, response.header("Retry-After"),
                                response.header("RateLimit-Reset")));
                        return;
                    }
                    Map<String, Object> json = null;
                    if (status / 100 == 2) {
                        try {
                            json = ElizaProtocol.parse(body != null ? body.string() : "");
                        } catch (IllegalArgumentException e) {
                            handOver(answer, null, new ElizaException(
                                    request + " on " + settings.displayUrl() + " answered what is not JSON: "
                                                                       + e.getMessage()));
                            return;
                        }
                    }
                    handOver(answer, new Answer(status, json), null);
                } catch (IOException e) {
                    onFailure(call, e);
                } catch (RuntimeException e) {
                    // never into OkHttp, which would leave the future without an outcome
                    handOver(answer, null, new ElizaException(
                            request + " on " + settings.displayUrl() + " failed: " + e.getMessage(), e));
                }
            }
        });
        return answer;
    }

    private Response withFreshToken(Interceptor.Chain chain) throws IOException {
        ElizaCredentials credentials = settings.getCredentials();
        String token;
        try {
            token = credentials.readAuthToken();
        } catch (ElizaAuthenticationException e) {
            // the server, not us, decides whether the token read last is still good
            token = credentials.authToken();
        }
        Request request = chain.request();
        return chain.proceed(token != null ? request.newBuilder().header("Authorization", "Bearer " + token).build()
                : request.newBuilder().removeHeader("Authorization").build());
    }

    private static String pathOnly(String path) {
        return ElizaRestRequests.pathOnly(path);
    }

    /** The HTTP client the requests go through (the token interceptor included): for the transports' requests. */
    OkHttpClient http() {
        return http;
    }

    /** Completes the future on the connection's executor, or here if that executor no longer runs (closed). */
    private void handOver(CompletableFuture<Answer> future, Answer answer, Exception error) {
        Runnable complete = () -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(answer);
            }
        };
        try {
            callbacks.execute(complete);
        } catch (RejectedExecutionException closed) {
            // the connection is closed: nobody's state to protect any more, and the future must not hang
            future.completeExceptionally(new ElizaConnectionException(
                    "The connection to " + settings.displayUrl() + " was closed"));
        }
    }

    private CompletionException refused(String path, int status) {
        return new CompletionException(new ElizaAuthenticationException(
                "The Eliza server at " + settings.displayUrl() + " refused GET " + path + " with HTTP " + status
                                                                        + ": check the apiKey and authToken options"));
    }

    private Object data(Answer answer, String what) {
        int status = answer.status();
        if (status == 401 || status == 403) {
            throw refused(MESSAGING + what, status);
        }
        if (status >= 500) {
            // the server cannot answer now: as unreachable, for the callers that try again later
            throw new CompletionException(new ElizaConnectionException(
                    "GET /api/messaging" + what + " on " + settings.displayUrl() + " answered HTTP " + status));
        }
        if (status != 200) {
            throw new CompletionException(new ElizaException(
                    "GET /api/messaging" + what + " on " + settings.displayUrl() + " answered HTTP " + status));
        }
        Object data = answer.json().get("data");
        if (!(data instanceof Map)) {
            throw new CompletionException(new ElizaException(
                    "GET /api/messaging" + what + " on " + settings.displayUrl() + " answered without data"));
        }
        return data;
    }
}
