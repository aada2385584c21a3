package org.cameleliza.component.eliza.health;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.connection.ElizaConnection;

/**
 * Readiness of an Eliza consumer or producer: UP when {@link #problem()} is null; DOWN with that reason, the connection
 * state and the time since otherwise. The details never hold credentials.
 */
public abstract class ElizaHealthCheck extends AbstractHealthCheck {

    protected ElizaHealthCheck(String id) {
        super("camel", id);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    protected abstract ElizaEndpoint endpoint();

    /** The connection in use, or null while stopped. */
    protected abstract ElizaConnection connection();

    /** Why it cannot work now, or null when it can. */
    protected abstract String problem();

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ElizaEndpoint endpoint = endpoint();
        builder.detail("url", endpoint.getServiceUrl());
        builder.detail("channel.id", endpoint.getChannelId());
        builder.detail("entity.id", endpoint.getEntityId());
        ElizaConnection connection = connection();
        if (connection != null) {
            builder.detail("connection.state", connection.getState().name());
            builder.detail("connection.since", connection.getStateSince());
            String version = connection.getServerVersion();
            if (version != null) {
                builder.detail("server.version", version);
            }
        }
        String problem = problem();
        if (problem == null) {
            builder.up();
            return;
        }
        builder.down();
        builder.message(problem);
        // also a detail: health endpoints that show only details (Spring Boot Actuator's camelHealth) show it too
        builder.detail("reason", problem);
        if (connection != null) {
            builder.detail("down.for.ms", System.currentTimeMillis() - connection.getStateSince());
        }
    }

    /** The problem every user of a connection shares: not started, or not connected (with the reason). */
    public static String connectionProblem(ElizaConnection connection, String what) {
        if (connection == null) {
            return "Eliza " + what + " is not started";
        }
        if (connection.getState() != ElizaConnection.State.CONNECTED) {
            String error = connection.getLastError();
            return "Not connected to the Eliza server (" + connection.getState() + ")" + (error != null ? ": " + error : "");
        }
        return null;
    }
}
