package org.cameleliza.component.eliza.health;

import java.util.function.IntSupplier;

import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaProducer;
import org.cameleliza.component.eliza.connection.ElizaConnection;

/**
 * Readiness of an Eliza producer: UP while its connection is up.
 * <p>
 * Its id is {@code producer:eliza-<channel>-<n>} (Camel's convention, as camel-kafka's
 * {@code producer:kafka-<clientId>}), and Camel's {@code producers} repository lists it under that id. {@code n} tells
 * producers of one channel apart and stays the same across a restart of the producer's route.
 */
public class ElizaProducerHealthCheck extends ElizaHealthCheck {

    private final ElizaProducer producer;
    private final int number;
    private final WritableHealthCheckRepository repository;

    private ElizaProducerHealthCheck(ElizaProducer producer, int number, WritableHealthCheckRepository repository) {
        super("producer:eliza-" + producer.getEndpoint().getChannel() + "-" + number);
        this.producer = producer;
        this.number = number;
        this.repository = repository;
    }

    /**
     * Adds the check of a starting producer to Camel's {@code producers} repository, numbered by {@code number}, which
     * is asked only then. Null when there is no such repository (Camel Main creates it with
     * camel.health.producersEnabled=true).
     */
    public static ElizaProducerHealthCheck register(ElizaProducer producer, boolean enabled, IntSupplier number) {
        WritableHealthCheckRepository repository = HealthCheckHelper.getHealthCheckRepository(
                producer.getEndpoint().getCamelContext(), "producers", WritableHealthCheckRepository.class);
        if (repository == null) {
            return null;
        }
        ElizaProducerHealthCheck check = new ElizaProducerHealthCheck(producer, number.getAsInt(), repository);
        check.setEnabled(enabled);
        repository.addHealthCheck(check);
        return check;
    }

    /** Removes the check of a stopping producer from the repository. */
    public void unregister() {
        repository.removeHealthCheck(this);
    }

    /** The {@code n} of the id. */
    public int getNumber() {
        return number;
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
