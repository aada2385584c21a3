package org.cameleliza.examples.kafka;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.EventNotifier;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaConfiguration;

/** Starts a CamelContext configured as application.properties configures the deployed bridge, for the tests. */
final class BridgeCamel {

    private BridgeCamel() {
    }

    static CamelContext start(String name, String brokers, String elizaUrl, Properties properties,
                              EventNotifier notifier, RoutesBuilder... routes) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName(name);
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(brokers);
        ElizaConfiguration eliza = camel.getComponent("eliza", ElizaComponent.class).getConfiguration();
        eliza.setUrl(elizaUrl);
        // the outages in these tests last seconds: fail fast while the server is away, notice its return soon
        eliza.setConnectTimeout(3000);
        eliza.setReconnectMaxDelay(2000);
        camel.getShutdownStrategy().setTimeout(20);
        if (notifier != null) {
            camel.getManagementStrategy().addEventNotifier(notifier);
        }
        for (RoutesBuilder routesBuilder : routes) {
            camel.addRoutes(routesBuilder);
        }
        camel.start();
        return camel;
    }
}
