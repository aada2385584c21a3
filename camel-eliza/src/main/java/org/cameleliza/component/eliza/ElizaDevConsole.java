package org.cameleliza.component.eliza;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Component;
import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.producer.ElizaRestTransport;
import org.cameleliza.component.eliza.rest.ElizaRestBudget;

/**
 * The live state of the Eliza component: each connection (state, joined channels, pending acks, waiting replies),
 * each producer with transport=http or sse (its REST requests), each consumer's queue, and the request-reply lanes. Never shows a credential.
 */
@DevConsole(name = "eliza", displayName = "Eliza", description = "elizaOS connections, channels and queues")
public class ElizaDevConsole extends AbstractDevConsole {

    private static final long SNAPSHOT_TIMEOUT_MILLIS = 2000;

    public ElizaDevConsole() {
        super("camel", "eliza", "Eliza", "elizaOS connections, channels and queues");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> json = doCallJson(options);
        for (Object c : (List<?>) json.get("connections")) {
            Map<?, ?> connection = (Map<?, ?>) c;
            sb.append(String.format("%n    Connection: %s as entity %s", connection.get("url"), connection.get("entityId")));
            sb.append(String.format("%n        State: %s", connection.get("state")));
            if (connection.get("serverVersion") != null) {
                sb.append(String.format("%n        Server: %s", connection.get("serverVersion")));
            }
            if (connection.get("lastError") != null) {
                sb.append(String.format("%n        Last Error: %s", connection.get("lastError")));
            }
            sb.append(String.format("%n        Connect Attempts: %s, Disconnects: %s", connection.get("connectAttempts"),
                    connection.get("disconnects")));
            sb.append(String.format("%n        Pending Acks: %s, Waiting Replies: %s", connection.get("pendingAcks"),
                    connection.get("waitingReplies")));
            sb.append(String.format("%n        REST Requests: %s, Rate Limited (HTTP 429): %s, Not Made While Paused: %s",
                    connection.get("restRequests"), connection.get("restRateLimited"),
                    connection.get("restNotMadeWhilePaused")));
            if (connection.get("restLastRateLimit") != null) {
                sb.append(String.format("%n        Last HTTP 429: %s", connection.get("restLastRateLimit")));
            }
            if (connection.get("restPausedUntil") != null) {
                sb.append(String.format("%n        REST Paused Until: %s", connection.get("restPausedUntil")));
            }
            Object channels = connection.get("channels");
            if (channels instanceof Map) {
                ((Map<?, ?>) channels).forEach((id, info) -> sb.append(String.format("%n        Channel: %s %s", id, info)));
            }
        }
        for (Object t : (List<?>) json.get("restTransports")) {
            Map<?, ?> transport = (Map<?, ?>) t;
            sb.append(String.format("%n    Producer (transport=%s): channel %s on %s", transport.get("transport"),
                    transport.get("channel"), transport.get("url")));
            sb.append(String.format("%n        REST Requests: %s, Rate Limited (HTTP 429): %s, Not Made While Paused: %s",
                    transport.get("restRequests"), transport.get("restRateLimited"),
                    transport.get("restNotMadeWhilePaused")));
        }
        for (Object c : (List<?>) json.get("consumers")) {
            Map<?, ?> consumer = (Map<?, ?>) c;
            sb.append(String.format("%n    Consumer: route %s, channel %s, queued %s", consumer.get("routeId"),
                    consumer.get("channelId"), consumer.get("queueDepth")));
        }
        ((Map<?, ?>) json.get("requestLanes")).forEach(
                (lane, depth) -> sb.append(String.format("%n    Request lane: %s, waiting %s", lane, depth)));
        sb.append("\n");
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<Object> connections = new ArrayList<>();
        List<Object> consumers = new ArrayList<>();
        List<Object> restTransports = new ArrayList<>();
        JsonObject lanes = new JsonObject();
        Component component = getCamelContext().hasComponent("eliza");
        if (component instanceof ElizaComponent) {
            ElizaComponent eliza = (ElizaComponent) component;
            for (ElizaConnection connection : eliza.getConnectionManager().getConnections()) {
                connections.add(snapshot(connection));
            }
            lanes.putAll(eliza.getRequestLanesIfCreated());
            for (ElizaRestTransport transport : eliza.getRestTransports()) {
                ElizaRestBudget budget = transport.budget();
                JsonObject jo = new JsonObject();
                jo.put("transport", transport.transport());
                jo.put("channel", transport.getEndpoint().getChannel());
                jo.put("url", transport.getEndpoint().getServiceUrl());
                jo.put("entityId", transport.getEndpoint().getEntityId());
                if (budget != null) {
                    jo.putAll(budget.describe());
                }
                restTransports.add(jo);
            }
        }
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof ElizaConsumer) {
                ElizaConsumer consumer = (ElizaConsumer) route.getConsumer();
                JsonObject jo = new JsonObject();
                jo.put("routeId", route.getRouteId());
                jo.put("channelId", consumer.getEndpoint().getChannelId());
                jo.put("queueDepth", consumer.getQueueDepth());
                consumers.add(jo);
            }
        }
        root.put("connections", connections);
        root.put("consumers", consumers);
        root.put("restTransports", restTransports);
        root.put("requestLanes", lanes);
        return root;
    }

    private static JsonObject snapshot(ElizaConnection connection) {
        JsonObject jo = new JsonObject();
        try {
            Map<String, Object> info = connection.snapshot().get(SNAPSHOT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            info.forEach((key, value) -> {
                if (value instanceof Map) {
                    JsonObject channels = new JsonObject();
                    ((Map<?, ?>) value).forEach((id, state) -> {
                        Object[] s = (Object[]) state;
                        JsonObject channel = new JsonObject();
                        channel.put("joined", s[0]);
                        channel.put("subscribers", s[1]);
                        channels.put(String.valueOf(id), channel);
                    });
                    jo.put(key, channels);
                } else {
                    jo.put(key, value);
                }
            });
        } catch (Exception e) {
            // a closed or busy connection: what any thread can read
            jo.put("url", connection.getSettings().displayUrl());
            jo.put("entityId", connection.getSettings().getEntityId());
            jo.put("state", connection.getState().name());
            jo.put("lastError", connection.getLastError());
        }
        return jo;
    }
}
