package org.cameleliza.component.eliza.rest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;

/**
 * The REST calls of the producer's http and sse transports (elizaOS 1.7 and later): a message posted to a channel with
 * {@code transport} http, whose HTTP answer carries the agent's answer, or sse, whose answer streams it as server-sent
 * events; and a channel's participants. On the client of an {@link ElizaRestClient}, whose budget counts every request
 * and which makes none while the server's rate limit is spent (the call fails with
 * {@link org.cameleliza.component.eliza.ElizaRateLimitedException}, as on the 429 itself). Its calls have a dispatcher
 * of their own: each holds its HTTP connection while the agent thinks (OkHttp's default allows five per server).
 * Futures and listeners complete on OkHttp's threads.
 */
public final class ElizaRestMessages {

    private static final String CHANNELS = "/api/messaging/channels/";
    /** The most requests of the transports in flight at once; more wait in OkHttp's queue. */
    static final int MAX_CONCURRENT_CALLS = 256;

    private final ElizaRestClient rest;
    private final ElizaConnectionSettings settings;
    private final Dispatcher dispatcher = new Dispatcher();
    private final OkHttpClient calls;

    /** What a server-sent stream tells, on OkHttp's thread, in order. */
    public interface StreamListener {
        /** An event: its name and its data as JSON (an empty map when the data is no JSON object). */
        void onEvent(String event, Map<String, Object> data);

        /** The stream ended: {@code failure} null when the server ended it, else why it broke. Called once. */
        void onEnd(Throwable failure);
    }

    public ElizaRestMessages(ElizaRestClient rest, ElizaConnectionSettings settings) {
        this.rest = rest;
        this.settings = settings;
        dispatcher.setMaxRequests(MAX_CONCURRENT_CALLS);
        dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT_CALLS);
        this.calls = rest.http().newBuilder().dispatcher(dispatcher).build();
    }

    /** The participants (entity ids) of a channel; none for a channel that does not exist. */
    public CompletableFuture<List<String>> participants(String channelId) {
        String path = CHANNELS + channelId + "/participants";
        return rest.call("GET", path, null).thenApply(answer -> {
            if (answer.status() / 100 != 2) {
                throw new CompletionException(error("GET " + path, answer.status(), null));
            }
            List<String> ids = new ArrayList<>();
            if (answer.json().get("data") instanceof List<?> data) {
                data.forEach(id -> ids.add(String.valueOf(id)));
            }
            return ids;
        });
    }

    /**
     * Posts a message with transport http and completes with the JSON of the server's answer ({@code success},
     * {@code userMessage}, {@code agentResponse}), given up after {@code timeoutMillis} with a {@link TimeoutException}.
     */
    public CompletableFuture<Map<String, Object>> postAndWait(String channelId, String json, long timeoutMillis) {
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        String request = "POST " + CHANNELS + channelId + "/messages";
        OkHttpClient client = calls.newBuilder().readTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .callTimeout(timeoutMillis, TimeUnit.MILLISECONDS).build();
        Call call = start(client, request, CHANNELS + channelId + "/messages", json, result::completeExceptionally);
        if (call == null) {
            return result;
        }
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                result.completeExceptionally(failed(request, e, timeoutMillis));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (ResponseBody body = response.body()) {
                    String text = body != null ? body.string() : "";
                    Exception refused = refusal(request, response, text);
                    if (refused != null) {
                        result.completeExceptionally(refused);
                        return;
                    }
                    result.complete(ElizaProtocol.parse(text));
                } catch (IOException e) {
                    result.completeExceptionally(failed(request, e, timeoutMillis));
                } catch (RuntimeException e) {
                    result.completeExceptionally(new ElizaException(request + " on " + settings.displayUrl()
                                                                    + " answered what is not JSON: " + e.getMessage()));
                }
            }
        });
        return result;
    }

    /**
     * Posts a message with transport sse and hands its events to {@code listener} as they come; a gap of more than
     * {@code idleTimeoutMillis} between two reads ends the stream with a failure, as does the whole call lasting more
     * than {@code callTimeoutMillis} (0: no bound). Returns the call, to cancel it (null
     * when no request was made: the listener was told why).
     */
    public Call stream(String channelId, String json, long idleTimeoutMillis, long callTimeoutMillis,
                       StreamListener listener) {
        String request = "POST " + CHANNELS + channelId + "/messages";
        OkHttpClient client = calls.newBuilder().readTimeout(idleTimeoutMillis, TimeUnit.MILLISECONDS)
                .callTimeout(callTimeoutMillis, TimeUnit.MILLISECONDS).build();
        Call call = start(client, request, CHANNELS + channelId + "/messages", json, listener::onEnd);
        if (call == null) {
            return null;
        }
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                listener.onEnd(failed(request, e, idleTimeoutMillis));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (ResponseBody body = response.body()) {
                    String type = response.header("Content-Type", "");
                    if (response.code() / 100 != 2 || !type.startsWith("text/event-stream")) {
                        Exception refused = refusal(request, response, body != null ? body.string() : "");
                        listener.onEnd(refused != null ? refused : new ElizaException(
                                request + " on " + settings.displayUrl() + " answered " + type + ", not a stream of"
                                                                                + " server-sent events: the server does"
                                                                                + " not know transport=sse (elizaOS 1.7"
                                                                                + " and later), the message was posted"
                                                                                + " to the channel as with transport"
                                                                                + " socket"));
                        return;
                    }
                    BufferedSource source = body.source();
                    ElizaSseParser parser = new ElizaSseParser((event, data) -> listener.onEvent(event, json(data)));
                    String line;
                    while ((line = source.readUtf8Line()) != null) {
                        parser.line(line);
                    }
                    listener.onEnd(null);
                } catch (IOException e) {
                    listener.onEnd(failed(request, e, idleTimeoutMillis));
                } catch (RuntimeException e) {
                    listener.onEnd(new ElizaException(request + " on " + settings.displayUrl() + " failed: "
                                                      + e.getMessage(), e));
                }
            }
        });
        return call;
    }

    /** Ends every call still running (their futures and listeners fail) and the dispatcher's threads. */
    public void close() {
        dispatcher.cancelAll();
        dispatcher.executorService().shutdown();
    }

    /** The call to make, counted by the budget; null when the budget is paused ({@code paused} was told why). */
    private Call start(OkHttpClient client, String request, String path, String json,
                       java.util.function.Consumer<Throwable> paused) {
        Exception refused = rest.budget().pausedError(request);
        if (refused != null) {
            paused.accept(refused);
            return null;
        }
        Request.Builder builder = ElizaRestRequests.builder(settings, "POST", path, json);
        rest.budget().spent();
        return client.newCall(builder.build());
    }

    /** The error for an answer that is not a 2xx (a 429 pauses the budget), or null for a 2xx. */
    private Exception refusal(String request, Response response, String body) {
        int status = response.code();
        if (status == 429) {
            return rest.budget().rateLimited(request, response.header("Retry-After"), response.header("RateLimit-Reset"));
        }
        if (status / 100 == 2) {
            return null;
        }
        String reason = null;
        try {
            Object error = ElizaProtocol.parse(body).get("error");
            reason = error instanceof Map ? String.valueOf(((Map<?, ?>) error).get("message")) : (String) error;
        } catch (RuntimeException notJson) {
            // the status says enough
        }
        return error(request, status, reason);
    }

    private Exception error(String request, int status, String reason) {
        String message = request + " on " + settings.displayUrl() + " answered HTTP " + status
                         + (reason != null ? ": " + reason : "");
        if (status == 401 || (status == 403 && reason != null && reason.contains("API"))) {
            return new ElizaAuthenticationException(message + ": check the apiKey and authToken options");
        }
        if (status / 100 == 4) {
            return new ElizaMessageRejectedException(message);
        }
        if (status == 500 && reason != null && reason.contains("HTTP transport")) {
            // 1.7.2 cannot serialise the response content of an IGNORE (its actionCallbacks refer to itself)
            return new ElizaException(message + " (elizaOS 1.7.2 answers so when the agent chose not to answer, IGNORE,"
                                      + " and when it failed)");
        }
        return new ElizaException(message);
    }

    private Exception failed(String request, IOException e, long timeoutMillis) {
        if (e instanceof InterruptedIOException && !"Canceled".equals(e.getMessage())) {
            TimeoutException timeout = new TimeoutException(request + " on " + settings.displayUrl() + ": no answer within "
                                                            + timeoutMillis + " ms");
            timeout.initCause(e);
            return timeout;
        }
        return new ElizaConnectionException(request + " on " + settings.displayUrl() + " failed: " + e.getMessage(), e);
    }

    private static Map<String, Object> json(String data) {
        try {
            return ElizaProtocol.parse(data);
        } catch (RuntimeException notAnObject) {
            return Map.of();
        }
    }
}
