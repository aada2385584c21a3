package org.cameleliza.examples.slack;

import java.io.File;
import java.util.Properties;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.main.Main;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;

/**
 * The bridge as an application (Camel Main): both routes, configured by {@code application.properties}, whose
 * values come from environment variables (ELIZA_URL, ELIZA_AGENT_ID, SLACK_TOKEN, SLACK_WEBHOOK_URL, SLACK_CHANNEL...).
 * Runs until stopped.
 */
public final class SlackBridge {

    private SlackBridge() {
    }

    public static void main(String[] args) throws Exception {
        newMain(new Properties()).run(args);
    }

    /** The bridge, with {@code overrides} taking precedence over application.properties (tests, the demo). */
    public static Main newMain(Properties overrides) {
        Main main = new Main();
        main.configure().addConfiguration(new Beans());
        main.configure().addRoutesBuilder(new AgentToSlackRoute());
        main.configure().addRoutesBuilder(new SlackToAgentRoute());
        main.setOverrideProperties(overrides);
        return main;
    }

    /** The beans the routes refer to. */
    public static class Beans implements CamelConfiguration {

        @PropertyInject("bridge.stateDir")
        private String stateDir;

        /** Which agent messages of the room already went to Slack: kept in a file, so it survives restarts. */
        @BindToRegistry("agentMessagesDelivered")
        public IdempotentRepository agentMessagesDelivered() {
            return FileIdempotentRepository.fileIdempotentRepository(new File(stateDir, "agent-messages-delivered.txt"),
                    10_000);
        }

        /** The last agent message that went to Slack: a restart delivers what the room got after it. */
        @BindToRegistry("agentMessagesPlace")
        public StateRepository<String, String> agentMessagesPlace() {
            return FileStateRepository.fileStateRepository(new File(stateDir, "agent-messages-place.txt"));
        }
    }
}
