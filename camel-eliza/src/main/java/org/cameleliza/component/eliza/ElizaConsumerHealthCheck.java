package org.cameleliza.component.eliza;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of an Eliza consumer: UP while its connection is up and its channel joined; DOWN with the reason and the
 * time since otherwise. The details never hold credentials.
 */
public class ElizaConsumerHealthCheck extends AbstractHealthCheck {

    private final ElizaConsumer consumer;
    private final String routeId;

    public ElizaConsumerHealthCheck(ElizaConsumer consumer, String routeId) {
        super("camel", "eliza-consumer-" + routeId);
        this.consumer = consumer;
        this.routeId = routeId;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ElizaEndpoint endpoint = consumer.getEndpoint();
        builder.detail("url", endpoint.getConfiguration().getUrl());
        builder.detail("channel.id", endpoint.getChannelId());
        builder.detail("entity.id", endpoint.getEntityId());
        if (routeId != null) {
            builder.detail("route.id", routeId);
        }
        String problem = consumer.getProblem();
        ElizaConnection connection = consumer.getConnection();
        if (connection != null) {
            builder.detail("connection.state", connection.getState().name());
            builder.detail("connection.since", connection.getStateSince());
        }
        if (problem == null) {
            builder.up();
            return;
        }
        builder.down();
        builder.message(problem);
        if (connection != null) {
            builder.detail("down.for.ms", System.currentTimeMillis() - connection.getStateSince());
        }
    }
}
