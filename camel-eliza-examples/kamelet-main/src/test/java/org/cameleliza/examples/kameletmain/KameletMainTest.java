package org.cameleliza.examples.kameletmain;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the application as it is deployed (Camel Main, application.properties, routes/*.camel.yaml, the Kamelets from
 * the camel-eliza-kamelets jar) against a real elizaOS server whose agent echoes: the sink asks, the source hears the
 * answer. Only where the server is and the agent's id differ from application.properties.
 */
class KameletMainTest {

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(ElizaTestAgent.named("Echo"));

    @Test
    void theSourceRouteHearsTheAgentAnswerWhatTheSinkAsked() throws Exception {
        Main main = new Main();
        main.addOverrideProperty("eliza.url", ELIZA.url());
        main.addOverrideProperty("eliza.agentId", ELIZA.agentId("Echo"));
        // the CamelContext, configured from application.properties but not started: the watch is in place before
        // the timer fires
        main.init();
        NotifyBuilder answered = new NotifyBuilder(main.getCamelContext()).fromRoute("agent-answers")
                .whenBodiesDone("Echo echoes: What can Camel do with Eliza?").create();
        main.start();
        try {
            assertThat(answered.matches(60, TimeUnit.SECONDS)).as("the agent's answer reached agent-answers").isTrue();

            CamelContext camel = main.getCamelContext();
            List<ElizaEndpoint> eliza = camel.getEndpoints().stream()
                    .filter(ElizaEndpoint.class::isInstance).map(ElizaEndpoint.class::cast).toList();
            assertThat(eliza).as("the Kamelets' eliza endpoints").hasSize(2);
            String apiKey = System.getenv("ELIZA_API_KEY");
            for (ElizaEndpoint endpoint : eliza) {
                // {{env:ELIZA_API_KEY:}}: an unset variable means no key, not a failed start nor a literal placeholder
                assertThat(endpoint.getConfiguration().getApiKey())
                        .isEqualTo(apiKey == null || apiKey.isEmpty() ? null : apiKey);
                assertThat(endpoint.getEntityId()).isEqualTo("5d0f6b0e-8f55-4c1e-9a55-2f1f3c6b7a10");
            }
        } finally {
            main.stop();
        }
    }
}
