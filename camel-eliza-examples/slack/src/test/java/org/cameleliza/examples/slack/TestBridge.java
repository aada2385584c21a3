package org.cameleliza.examples.slack;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The bridge as the tests and the demo run it: {@link SlackBridge}'s application with a few settings overridden, the
 * way environment variables set them in production.
 */
final class TestBridge implements AutoCloseable {

    private final Main main;

    private TestBridge(Properties properties) throws Exception {
        main = SlackBridge.newMain(properties);
        main.start();
    }

    /** Settings pointing the bridge at an Eliza server and the Slack stand-in, with short delays for tests. */
    static Properties settings(String elizaUrl, String agentId, SlackStandIn slack, String token, Path stateDir) {
        Properties properties = new Properties();
        properties.setProperty("camel.component.eliza.url", elizaUrl);
        properties.setProperty("camel.component.eliza.connectTimeout", "3000");
        properties.setProperty("camel.component.eliza.reconnectMaxDelay", "2000");
        properties.setProperty("eliza.agentId", agentId);
        properties.setProperty("slack.serverUrl", slack.serverUrl());
        properties.setProperty("slack.token", token);
        properties.setProperty("slack.webhook.secret", "");
        properties.setProperty("slack.pollDelay", "200");
        properties.setProperty("bridge.redeliveries", "2");
        properties.setProperty("bridge.redeliveryDelay", "200");
        properties.setProperty("bridge.maximumRedeliveryDelay", "1000");
        properties.setProperty("bridge.stateDir", stateDir.toString());
        return properties;
    }

    static TestBridge start(Properties properties) throws Exception {
        return new TestBridge(properties);
    }

    CamelContext camel() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
