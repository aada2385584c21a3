package org.cameleliza.examples.jms;

import java.nio.file.Path;
import java.util.Properties;

import jakarta.jms.ConnectionFactory;

import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConfiguration;

/**
 * Wires the bridge into a CamelContext: the JMS component on the broker's connection factory, the Eliza component's
 * server, and both routes. Settings come from jms-bridge.properties, overridden by {@code overrides} (eliza.url and
 * eliza.agentId are required; eliza.apiKey when the server has one).
 */
public final class JmsBridge {

    private JmsBridge() {
    }

    public static void addTo(CamelContext camel, ConnectionFactory connectionFactory, Properties overrides)
            throws Exception {
        camel.getPropertiesComponent().setLocation("classpath:jms-bridge.properties");
        camel.getPropertiesComponent().setOverrideProperties(overrides);
        camel.addComponent("jms", JmsComponent.jmsComponent(connectionFactory));
        ElizaConfiguration eliza = camel.getComponent("eliza", ElizaComponent.class).getConfiguration();
        eliza.setUrl(camel.resolvePropertyPlaceholders("{{eliza.url}}"));
        camel.getPropertiesComponent().resolveProperty("eliza.apiKey").ifPresent(eliza::setApiKey);
        // after an outage of the Eliza server, reconnect within seconds (the default backs off to 30 s), so the
        // messages the broker redelivers meanwhile find a connection
        eliza.setReconnectMaxDelay(Long.parseLong(camel.resolvePropertyPlaceholders("{{eliza.reconnectMaxDelay}}")));
        // how long a send waits for a connection before it fails (and the transaction rolls back)
        eliza.setConnectTimeout(Long.parseLong(camel.resolvePropertyPlaceholders("{{eliza.connectTimeout}}")));
        camel.addRoutes(new TransactedQuestionsRoute());
        camel.addRoutes(new AgentRequestReplyRoute());
    }

    /**
     * An embedded broker with the queues of jms-bridge.properties' defaults, each with its dead-letter queue, and
     * their redelivery policy: 1 s after a rollback, doubling up to 10 s, 10 deliveries in all.
     */
    public static EmbeddedBroker.Builder embeddedBroker(Path dataDirectory) {
        return EmbeddedBroker.builder(dataDirectory)
                .queue("questions", "questions.DLQ")
                .queue("ask", "ask.DLQ")
                .redelivery(1000, 10_000, 10);
    }
}
