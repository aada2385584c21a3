package org.cameleliza.component.eliza;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of an Eliza producer: UP while its connection is up; DOWN with the reason and the time since otherwise.
 * The details never hold credentials.
 */
public class ElizaProducerHealthCheck extends AbstractHealthCheck {

    private final ElizaProducer producer;

    public ElizaProducerHealthCheck(ElizaProducer producer, String id) {
        super("camel", "eliza-producer-" + id);
        this.producer = producer;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ElizaEndpoint endpoint = producer.getEndpoint();
        builder.detail("url", endpoint.getConfiguration().getUrl());
        builder.detail("channel.id", endpoint.getChannelId());
        builder.detail("entity.id", endpoint.getEntityId());
        ElizaConnection connection = producer.getConnection();
        if (connection != null && connection.getState() == ElizaConnection.State.CONNECTED) {
            builder.detail("connection.state", connection.getState().name());
            builder.up();
            return;
        }
        builder.down();
        if (connection == null) {
            builder.message("Eliza producer is not started");
            return;
        }
        long since = connection.getStateSince();
        builder.detail("connection.state", connection.getState().name());
        builder.detail("connection.since", since);
        builder.detail("down.for.ms", System.currentTimeMillis() - since);
        String error = connection.getLastError();
        builder.message("Not connected to the Eliza server (" + connection.getState() + ")"
                        + (error != null ? ": " + error : ""));
    }
}
