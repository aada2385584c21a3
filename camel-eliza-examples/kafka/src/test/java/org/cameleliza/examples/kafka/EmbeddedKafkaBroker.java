package org.cameleliza.examples.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker inside this JVM: one KRaft node that is both broker and controller, from Kafka's own test kit
 * (the release of the kafka-clients camel-kafka uses). As a JUnit extension on a static field it starts before the
 * class's tests and stops after them; {@link #start()} and {@link #close()} serve a {@code main}.
 */
public final class EmbeddedKafkaBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private KafkaClusterTestKit cluster;

    public synchronized EmbeddedKafkaBroker start() throws Exception {
        if (cluster != null) {
            return this;
        }
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                // one broker: the internal topics cannot have the default three replicas
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                // a consumer group that starts does not wait 3 s for more members
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        cluster = kit;
        return this;
    }

    public synchronized String bootstrapServers() {
        if (cluster == null) {
            throw new IllegalStateException("The embedded Kafka broker is not started");
        }
        return cluster.bootstrapServers();
    }

    /** Creates the topics (name to partitions) that do not exist yet. */
    public static void createTopics(String bootstrapServers, Map<String, Integer> partitionsByTopic)
            throws InterruptedException, ExecutionException {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            for (Map.Entry<String, Integer> topic : partitionsByTopic.entrySet()) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic.getKey(), topic.getValue(), (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (cluster != null) {
            try {
                cluster.close();
            } finally {
                cluster = null;
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }
}
