package org.cameleliza.component.eliza.health;

import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaProducer;
import org.cameleliza.component.eliza.connection.ElizaConnection;

/**
 * Readiness of an Eliza producer: UP while its connection is up.
 */
public class ElizaProducerHealthCheck extends ElizaHealthCheck {

    private final ElizaProducer producer;

    public ElizaProducerHealthCheck(ElizaProducer producer, String id) {
        super("eliza-producer-" + id);
        this.producer = producer;
    }

    @Override
    protected ElizaEndpoint endpoint() {
        return producer.getEndpoint();
    }

    @Override
    protected ElizaConnection connection() {
        return producer.getConnection();
    }

    @Override
    protected String problem() {
        return connectionProblem(producer.getConnection(), "producer");
    }
}
