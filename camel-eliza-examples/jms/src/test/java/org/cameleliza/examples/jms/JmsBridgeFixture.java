package org.cameleliza.examples.jms;

import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * What a test of the bridge runs: a real embedded broker and the bridge's routes in a CamelContext, talking to a real
 * Eliza server. Each fixture uses channels of its own, so tests do not see each other's messages.
 */
final class JmsBridgeFixture implements AutoCloseable {

    final EmbeddedBroker broker;
    final CamelContext camel = new DefaultCamelContext();
    final Properties settings = new Properties();
    final String questionsChannel = "jms-questions-" + UUID.randomUUID();
    final String askChannel = "jms-ask-" + UUID.randomUUID();
    ProducerTemplate producer;
    ConsumerTemplate consumer;

    JmsBridgeFixture(EmbeddedBroker.Builder broker, String elizaUrl, String agentId) throws Exception {
        this.broker = broker.build().start();
        settings.setProperty("eliza.url", elizaUrl);
        settings.setProperty("eliza.agentId", agentId);
        settings.setProperty("eliza.questions.channel", questionsChannel);
        settings.setProperty("eliza.ask.channel", askChannel);
    }

    static JmsBridgeFixture withDefaultBroker(Path dataDirectory, String elizaUrl, String agentId) throws Exception {
        return new JmsBridgeFixture(JmsBridge.embeddedBroker(dataDirectory), elizaUrl, agentId);
    }

    /** Adds the routes (with the settings as they are now) to the CamelContext: call start() after any advice. */
    JmsBridgeFixture addRoutes() throws Exception {
        JmsBridge.addTo(camel, broker.connectionFactory(), settings);
        return this;
    }

    JmsBridgeFixture start() {
        camel.start();
        producer = camel.createProducerTemplate();
        consumer = camel.createConsumerTemplate();
        return this;
    }

    @Override
    public void close() throws Exception {
        try {
            camel.stop();
        } finally {
            broker.close();
        }
    }
}
