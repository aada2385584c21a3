package org.cameleliza.examples.kafka;

import org.apache.camel.main.Main;

/**
 * The bridge as deployed: Camel Main with the two routes, configured by {@code application.properties} (Kafka's
 * brokers, the Eliza server, the agent, the topics), each setting overridable by an environment variable or a system
 * property.
 */
public final class KafkaBridgeApplication {

    private KafkaBridgeApplication() {
    }

    /** A Camel Main with the bridge's routes, not yet started. */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addRoutesBuilder(new QuestionsToAgentRoute());
        main.configure().addRoutesBuilder(new RoomToTopicRoute());
        return main;
    }

    public static void main(String[] args) throws Exception {
        newMain().run(args);
    }
}
