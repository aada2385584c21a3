package org.cameleliza.examples.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultComponent;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application as it runs: its routes and application.properties against a real Eliza server started by the test
 * kit, whose agent has the id application.properties names. Only the server's URL is set by the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.health.show-details=always")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ElizaSpringBootApplicationTest {

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(
            ElizaTestAgent.named("Support").withId("b850bc30-45f8-0041-a00a-83df46d8555d")
                    .when("opening hours", "We are open from 9 to 5.")
                    .otherwise("Let me find out."));

    @DynamicPropertySource
    static void elizaServer(DynamicPropertyRegistry registry) {
        registry.add("camel.component.eliza.url", ELIZA::url);
    }

    @Autowired
    ProducerTemplate producer;
    @Autowired
    CamelContext camelContext;
    @Autowired
    Environment environment;

    @Test
    @Order(1)
    void theRouteAsksTheAgentAndReturnsItsAnswer() {
        assertThat(producer.requestBody("direct:ask", "What are your opening hours?", String.class))
                .isEqualTo("We are open from 9 to 5.");
        assertThat(producer.requestBody("direct:ask", "Where is my parcel?", String.class))
                .isEqualTo("Let me find out.");
        // InOnly, as from a timer: the agent's answer all the same, not the question
        Exchange sent = producer.send("direct:ask", e -> e.getMessage().setBody("What are your opening hours?"));
        assertThat(sent.getException()).isNull();
        assertThat(sent.getPattern()).isEqualTo(ExchangePattern.InOnly);
        assertThat(sent.getMessage().getBody(String.class)).isEqualTo("We are open from 9 to 5.");
    }

    @Test
    @Order(2)
    void applicationPropertiesConfigureTheComponent() {
        ElizaComponent eliza = camelContext.getComponent("eliza", ElizaComponent.class);

        assertThat(eliza.getConfiguration().getUrl()).isEqualTo(ELIZA.url());
        assertThat(eliza.getConfiguration().getEntityId()).isEqualTo("5d0f6b0e-8f55-4c1e-9a55-2f1f3c6b7a10");
        assertThat(eliza.getConfiguration().getSenderName()).isEqualTo("Spring Boot example");
        // ${ELIZA_API_KEY:}: an unset variable means no key (empty), never the placeholder's text
        assertThat(Objects.toString(eliza.getConfiguration().getApiKey(), ""))
                .isEqualTo(System.getenv().getOrDefault("ELIZA_API_KEY", ""));
    }

    @Test
    @Order(3)
    void theApplicationsCamelVersionWins() {
        String expected = System.getProperty("expected.camel.version");

        assertThat(camelContext.getVersion()).isEqualTo(expected);
        assertThat(DefaultComponent.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .contains("camel-support-" + expected + ".jar");
    }

    @Test
    @Order(4)
    void actuatorHealthShowsTheElizaChecksUpThenDownWhenTheServerStops() throws Exception {
        JsonNode up = health();
        assertThat(up.path("status").asText()).isEqualTo("UP");
        JsonNode checks = up.path("components").path("camelHealth").path("details");
        // the consumer's check (Camel names it after the route) and the producer's (the component names it)
        assertThat(checks.path("consumer:agent-answers").asText()).isEqualTo("UP");
        assertThat(checks.toString()).contains("\"producer:eliza-").contains("\"connection.state\":\"CONNECTED\"");

        ELIZA.server().stop();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> "DOWN".equals(health().path("status").asText()));
        JsonNode down = health().path("components").path("camelHealth");
        assertThat(down.path("status").asText()).isEqualTo("DOWN");
        assertThat(down.path("details").path("consumer:agent-answers").asText()).isEqualTo("DOWN");
        System.out.println("Health with the Eliza server stopped: " + down);
        assertThat(down.path("details").path("consumer:agent-answers.data").toString())
                .contains("\"connection.state\"").doesNotContain("\"CONNECTED\"")
                .contains("\"reason\":\"Not connected to the Eliza server");
    }

    private JsonNode health() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + environment.getProperty("local.server.port")
                                                  + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
