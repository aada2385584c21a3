package org.cameleliza.examples.slack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Slack, for the tests and the demo (Slack is not reachable from here): a JDK HTTP server that
 * speaks the parts of Slack's Web API camel-slack calls, under {@code /api/}, form-encoded with the token as
 * {@code Authorization: Bearer} ({@code conversations.list}, {@code conversations.history}, {@code chat.postMessage},
 * and {@code auth.test}, which the Slack SDK calls for its metrics), and incoming webhooks
 * ({@code POST /services/T../B../secret} with a JSON body). It answers in Slack's formats and with Slack's errors
 * ({@code not_authed}, {@code invalid_auth}, {@code channel_not_found}, {@code no_text}; for webhooks
 * {@code no_service}, {@code invalid_payload}), and records every message posted to it, for the tests to check.
 * <p>
 * Like Slack, it keeps each channel's messages: a message posted with the bot token carries {@code bot_id}, one
 * posted through a webhook has subtype {@code bot_message}, a person's has neither; {@code conversations.history}
 * lists a channel's top-level messages newest first (thread replies only in their thread).
 */
public final class SlackStandIn implements AutoCloseable {

    /** The bot user and bot of the token, and the bot behind the incoming webhooks. */
    public static final String BOT_USER_ID = "U0STANDBOT";
    public static final String BOT_ID = "B0STANDBOT";
    public static final String WEBHOOK_BOT_ID = "B0STANDHOOK";

    /** A message posted to the stand-in through the Web API or a webhook. */
    public record Post(String via, String channelId, String text, String threadTs) {
    }

    private record Channel(String id, String name, String webhookSecret) {
    }

    private final String token;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> history = new HashMap<>();
    private final List<Post> posts = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Integer> failureStatus = new HashMap<>();
    private final Map<String, Integer> refusals = new HashMap<>();
    private final Map<String, String> refusalError = new HashMap<>();
    private long lastTsMicros;

    private SlackStandIn(String token, List<String> channelNames) throws IOException {
        this.token = token;
        for (int i = 0; i < channelNames.size(); i++) {
            String id = String.format(Locale.ROOT, "C0STAND%03d", i + 1);
            // a webhook URL's last segment is its secret, as in Slack
            channels.put(id, new Channel(id, channelNames.get(i), UUID.randomUUID().toString().replace("-", "")));
            history.put(id, new ArrayList<>());
            // as in Slack, a channel the bot was added to starts with the bot's join message
            JsonObject join = new JsonObject();
            join.addProperty("type", "message");
            join.addProperty("subtype", "channel_join");
            join.addProperty("user", BOT_USER_ID);
            join.addProperty("text", "<@" + BOT_USER_ID + "> has joined the channel");
            store(id, join, null);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", this::handleMethod);
        server.createContext("/services/", this::handleWebhook);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a workspace whose bot token is {@code token}, with these public channels (names without '#'). */
    public static SlackStandIn start(String token, String... channelNames) throws IOException {
        return new SlackStandIn(token, List.of(channelNames));
    }

    /** What camel-slack's {@code serverUrl} takes: it appends {@code /api/}. */
    public String serverUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The incoming webhook URL of a channel (like Slack's, its last segment is the secret). */
    public synchronized String webhookUrl(String channelName) {
        Channel channel = channelNamed(channelName);
        return serverUrl() + "/services/T0STANDIN/B0STANDHOOK/" + channel.webhookSecret();
    }

    public synchronized String channelId(String channelName) {
        return channelNamed(channelName).id();
    }

    /** A person writes in a channel, as in the Slack client; returns the message's ts. */
    public synchronized String postAsUser(String channelName, String userId, String text) {
        JsonObject message = new JsonObject();
        message.addProperty("type", "message");
        message.addProperty("user", userId);
        message.addProperty("text", text);
        return store(channelNamed(channelName).id(), message, null);
    }

    /** A person shares a file without writing anything, as in the Slack client; returns the message's ts. */
    public synchronized String postFileAsUser(String channelName, String userId) {
        JsonObject message = new JsonObject();
        message.addProperty("type", "message");
        message.addProperty("subtype", "file_share");
        message.addProperty("user", userId);
        message.addProperty("text", "");
        JsonObject file = new JsonObject();
        file.addProperty("id", "F0STANDFILE");
        file.addProperty("name", "screenshot.png");
        JsonArray files = new JsonArray();
        files.add(file);
        message.add("files", files);
        return store(channelNamed(channelName).id(), message, null);
    }

    /** Another app posts in a channel (a CI bot, say); returns the message's ts. */
    public synchronized String postAsOtherApp(String channelName, String text) {
        JsonObject message = new JsonObject();
        message.addProperty("type", "message");
        message.addProperty("subtype", "bot_message");
        message.addProperty("bot_id", "B0OTHERAPP");
        message.addProperty("text", text);
        return store(channelNamed(channelName).id(), message, null);
    }

    /** The messages posted to the stand-in (Web API and webhooks), in the order they arrived. */
    public synchronized List<Post> posts() {
        return List.copyOf(posts);
    }

    /** The Web API methods called and webhooks posted to, in order ("conversations.history", "webhook"...). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** Answers the next {@code count} calls of a method (or "webhook") with HTTP {@code status}: Slack unavailable. */
    public synchronized void failNext(String method, int count, int status) {
        failures.put(method, count);
        failureStatus.put(method, status);
    }

    /** Answers the next {@code count} calls of a Web API method with {@code "ok": false} and this error. */
    public synchronized void refuseNext(String method, int count, String error) {
        refusals.put(method, count);
        refusalError.put(method, error);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handleMethod(HttpExchange http) throws IOException {
        try (http) {
            String method = http.getRequestURI().getPath().substring("/api/".length());
            Map<String, String> form = parseForm(readBody(http.getRequestBody()));
            JsonObject answer;
            synchronized (this) {
                calls.add(method);
                Integer status = failure(method);
                if (status != null) {
                    respond(http, status, "text/plain", "service unavailable");
                    return;
                }
                answer = authenticate(http, form);
                if (answer == null && refusals.getOrDefault(method, 0) > 0) {
                    refusals.merge(method, -1, Integer::sum);
                    answer = error(refusalError.get(method));
                }
                if (answer == null) {
                    answer = switch (method) {
                        case "auth.test" -> authTest();
                        case "conversations.list" -> conversationsList(form);
                        case "conversations.history" -> conversationsHistory(form);
                        case "chat.postMessage" -> chatPostMessage(form);
                        default -> error("unknown_method");
                    };
                }
            }
            respond(http, 200, "application/json; charset=utf-8", answer.toString());
        }
    }

    private void handleWebhook(HttpExchange http) throws IOException {
        try (http) {
            String body = readBody(http.getRequestBody());
            int status;
            String answer;
            synchronized (this) {
                calls.add("webhook");
                Integer failure = failure("webhook");
                if (failure != null) {
                    respond(http, failure, "text/plain", "service unavailable");
                    return;
                }
                String path = http.getRequestURI().getPath();
                Channel channel = channels.values().stream()
                        .filter(c -> path.equals("/services/T0STANDIN/B0STANDHOOK/" + c.webhookSecret()))
                        .findFirst().orElse(null);
                JsonObject payload = parseJson(body);
                if (!"POST".equals(http.getRequestMethod()) || channel == null) {
                    status = 404;
                    answer = "no_service";
                } else if (payload == null) {
                    status = 400;
                    answer = "invalid_payload";
                } else if (isBlank(string(payload, "text")) && !payload.has("blocks") && !payload.has("attachments")) {
                    status = 400;
                    answer = "no_text";
                } else {
                    // a webhook posts to the channel it was created for, whatever "channel" the payload names
                    JsonObject message = new JsonObject();
                    message.addProperty("type", "message");
                    message.addProperty("subtype", "bot_message");
                    message.addProperty("bot_id", WEBHOOK_BOT_ID);
                    message.addProperty("text", string(payload, "text"));
                    store(channel.id(), message, null);
                    posts.add(new Post("webhook", channel.id(), string(payload, "text"), null));
                    status = 200;
                    answer = "ok";
                }
            }
            respond(http, status, "text/html", answer);
        }
    }

    private JsonObject authenticate(HttpExchange http, Map<String, String> form) {
        String authorization = http.getRequestHeaders().getFirst("Authorization");
        String presented = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()) : form.get("token");
        if (isBlank(presented)) {
            return error("not_authed");
        }
        return presented.equals(token) ? null : error("invalid_auth");
    }

    /** The Slack SDK asks who the token belongs to (for its metrics) before its first call of a method. */
    private JsonObject authTest() {
        JsonObject answer = ok();
        answer.addProperty("url", "https://standin.slack.com/");
        answer.addProperty("team", "Stand-in");
        answer.addProperty("user", "bridge");
        answer.addProperty("team_id", "T0STANDIN");
        answer.addProperty("user_id", BOT_USER_ID);
        answer.addProperty("bot_id", BOT_ID);
        return answer;
    }

    private JsonObject conversationsList(Map<String, String> form) {
        String types = form.getOrDefault("types", "public_channel");
        JsonArray list = new JsonArray();
        if (types.contains("public_channel")) {
            for (Channel channel : channels.values()) {
                JsonObject c = new JsonObject();
                c.addProperty("id", channel.id());
                c.addProperty("name", channel.name());
                c.addProperty("is_channel", true);
                c.addProperty("is_private", false);
                c.addProperty("is_member", true);
                list.add(c);
            }
        }
        JsonObject answer = ok();
        answer.add("channels", list);
        answer.add("response_metadata", cursor(""));
        return answer;
    }

    private JsonObject conversationsHistory(Map<String, String> form) {
        List<JsonObject> messages = history.get(form.get("channel"));
        if (messages == null) {
            return error("channel_not_found");
        }
        BigDecimal oldest = new BigDecimal(isBlank(form.get("oldest")) ? "0" : form.get("oldest"));
        int limit = isBlank(form.get("limit")) ? 100 : Integer.parseInt(form.get("limit"));
        // newest first, after "oldest" (exclusive, Slack's default), at most "limit": like Slack, the newest ones
        List<JsonObject> newer = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (new BigDecimal(string(messages.get(i), "ts")).compareTo(oldest) > 0) {
                newer.add(messages.get(i));
            }
        }
        JsonArray page = new JsonArray();
        newer.stream().limit(limit).forEach(m -> page.add(m.deepCopy()));
        JsonObject answer = ok();
        answer.add("messages", page);
        answer.addProperty("has_more", newer.size() > limit);
        answer.add("response_metadata", cursor(""));
        return answer;
    }

    private JsonObject chatPostMessage(Map<String, String> form) {
        Channel channel = resolveChannel(form.get("channel"));
        if (channel == null) {
            return error("channel_not_found");
        }
        String text = form.get("text");
        if (isBlank(text) && isBlank(form.get("blocks")) && isBlank(form.get("attachments"))) {
            return error("no_text");
        }
        JsonObject message = new JsonObject();
        message.addProperty("type", "message");
        message.addProperty("user", BOT_USER_ID);
        message.addProperty("bot_id", BOT_ID);
        message.addProperty("text", text);
        String threadTs = form.get("thread_ts");
        String ts = store(channel.id(), message, isBlank(threadTs) ? null : threadTs);
        posts.add(new Post("chat.postMessage", channel.id(), text, isBlank(threadTs) ? null : threadTs));
        JsonObject answer = ok();
        answer.addProperty("channel", channel.id());
        answer.addProperty("ts", ts);
        answer.add("message", message.deepCopy());
        return answer;
    }

    /** Channel ids, names and #names are accepted, as chat.postMessage does. */
    private Channel resolveChannel(String channel) {
        if (isBlank(channel)) {
            return null;
        }
        String name = channel.startsWith("#") ? channel.substring(1) : channel;
        return channels.values().stream()
                .filter(c -> c.id().equals(channel) || c.name().equals(name))
                .findFirst().orElse(null);
    }

    private String store(String channelId, JsonObject message, String threadTs) {
        long micros = Math.max(System.currentTimeMillis() * 1000, lastTsMicros + 1);
        lastTsMicros = micros;
        String ts = String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
        message.addProperty("ts", ts);
        if (threadTs == null) {
            history.get(channelId).add(message);
        } else {
            // a reply lives in its thread, not in the channel's history (camel-slack 4.18 never posts one)
            message.addProperty("thread_ts", threadTs);
        }
        return ts;
    }

    private Integer failure(String method) {
        Integer left = failures.get(method);
        if (left == null || left <= 0) {
            return null;
        }
        failures.put(method, left - 1);
        return failureStatus.get(method);
    }

    private Channel channelNamed(String name) {
        return channels.values().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The stand-in has no channel '" + name + "'"));
    }

    private static JsonObject ok() {
        JsonObject answer = new JsonObject();
        answer.addProperty("ok", true);
        return answer;
    }

    private static JsonObject error(String error) {
        JsonObject answer = new JsonObject();
        answer.addProperty("ok", false);
        answer.addProperty("error", error);
        return answer;
    }

    private static JsonObject cursor(String next) {
        JsonObject metadata = new JsonObject();
        metadata.addProperty("next_cursor", next);
        return metadata;
    }

    private static JsonObject parseJson(String body) {
        try {
            JsonElement element = JsonParser.parseString(body);
            return element.isJsonObject() ? element.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.put(key, value);
            }
        }
        return form;
    }

    private static String string(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String readBody(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange http, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", contentType);
        http.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Waits until a Web API method was called, e.g. camel-slack's first read of the channel: its first read takes
     * only the newest message, so what is posted before it is not all read.
     */
    public void awaitCall(String method, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!calls().contains(method)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Nobody called " + method + " within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Waits for at least {@code count} posts; for the demo, which has no test framework. */
    public List<Post> awaitPosts(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (posts().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return posts();
    }
}
