package org.cameleliza.examples.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of HelpdeskRoutes against a real elizaOS server (started once for the class by camel-eliza-test, stopped
 * after it) whose agents answer as defined here: no LLM, no hand-run server, the same answer every run.
 */
class HelpdeskRoutesTest {

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(
            // a table of prompt patterns to answers; $1 is the pattern's first group
            ElizaTestAgent.named("Helpdesk")
                    .when("refund for order (\\d+)", "The refund for order $1 is on its way.")
                    .when("opening hours|open", "We are open from 9 to 5.")
                    .otherwise(HelpdeskRoutes.DONT_KNOW + ", let me ask a colleague."),
            // a function of the prompt, in JavaScript
            ElizaTestAgent.named("Translator")
                    .answeringWithScript("return prompt.replace('Hello', 'Bonjour');"));

    private CamelContext camel;
    private ProducerTemplate producer;

    @TempDir
    Path answersDir;

    @BeforeEach
    void startCamel() throws Exception {
        camel = new DefaultCamelContext();
        // what application.properties holds in production: the agents' ids...
        Properties properties = new Properties();
        properties.setProperty("helpdesk.agentId", ELIZA.agentId("Helpdesk"));
        properties.setProperty("translator.agentId", ELIZA.agentId("Translator"));
        properties.setProperty("answers.dir", answersDir.toString());
        camel.getPropertiesComponent().setInitialProperties(properties);
        // ...and the server (camel.component.eliza.url)
        camel.getComponent("eliza", ElizaComponent.class).getConfiguration().setUrl(ELIZA.url());
        camel.addRoutes(new HelpdeskRoutes());
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    @Test
    void aQuestionTheAgentCanAnswerIsAnswered() {
        Exchange answer = producer.request("direct:question",
                e -> e.getMessage().setBody("Where is the refund for order 4711?"));

        assertThat(answer.getMessage().getBody(String.class)).isEqualTo("The refund for order 4711 is on its way.");
        assertThat(answer.getMessage().getHeader("escalated")).isNull();
    }

    @Test
    void aQuestionTheAgentCannotAnswerIsEscalated() {
        Exchange answer = producer.request("direct:question",
                e -> e.getMessage().setBody("Can you repair my bicycle?"));

        assertThat(answer.getMessage().getBody(String.class)).startsWith(HelpdeskRoutes.DONT_KNOW);
        assertThat(answer.getMessage().getHeader("escalated", Boolean.class)).isTrue();
    }

    @Test
    void anAgentCanAnswerWithAFunctionOfThePrompt() {
        assertThat(producer.requestBody("direct:translate", "Hello world", String.class)).isEqualTo("Bonjour world");
    }

    @Test
    void aConsumerRouteReceivesTheAgentsMessages() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:helpdesk?agentId={{helpdesk.agentId}}&agentMessagesOnly=true").routeId("listen")
                        .to("mock:answers");
            }
        });
        MockEndpoint answers = camel.getEndpoint("mock:answers", MockEndpoint.class);
        answers.expectedBodiesReceived("We are open from 9 to 5.");

        producer.requestBody("direct:question", "What are your opening hours?");

        answers.assertIsSatisfied();
    }

    @Test
    void anAnswerIsWrittenToAFileWhileTheAgentWritesIt() throws Exception {
        // [slowchunks:30]: the test agent writes its answer in chunks, 30 ms apart, as a model streams
        Exchange done = producer.request("direct:streamToFile", e -> {
            e.getMessage().setBody("What are your opening hours? [slowchunks:30]");
            e.getMessage().setHeader("answerFile", "hours.txt");
        });

        assertThat(done.getException()).isNull();
        assertThat(Files.readString(answersDir.resolve("hours.txt"))).isEqualTo("We are open from 9 to 5.");
        assertThat(done.getMessage().getHeader("CamelElizaStreamedText")).isEqualTo("We are open from 9 to 5.");
    }
}
