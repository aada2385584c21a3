package org.cameleliza.component.eliza.health;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.cameleliza.component.eliza.ElizaConsumer;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.connection.ElizaConnection;

/**
 * Readiness of an Eliza consumer: UP while its connection is up and the server confirmed its channel join.
 * <p>
 * Its id is {@code consumer:eliza-<routeId>} (Camel's convention, as camel-kafka's {@code consumer:kafka-<routeId>}),
 * the same after a restart of the route. The consumer hands it to Camel with {@code setHealthCheck}: Camel's
 * {@code consumers} repository calls it from the route's consumer check, so health endpoints list it as
 * {@code consumer:<routeId>}, with this check's state, message and details.
 */
public class ElizaConsumerHealthCheck extends ElizaHealthCheck {

    private final ElizaConsumer consumer;
    private final String routeId;

    public ElizaConsumerHealthCheck(ElizaConsumer consumer, String routeId) {
        super("consumer:eliza-" + routeId);
        this.consumer = consumer;
        this.routeId = routeId;
    }

    @Override
    protected ElizaEndpoint endpoint() {
        return consumer.getEndpoint();
    }

    @Override
    protected ElizaConnection connection() {
        return consumer.getConnection();
    }

    @Override
    protected String problem() {
        return consumer.getProblem();
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (routeId != null) {
            builder.detail("route.id", routeId);
        }
        super.doCall(builder, options);
    }
}
