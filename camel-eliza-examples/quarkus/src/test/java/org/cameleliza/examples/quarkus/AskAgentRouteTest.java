package org.cameleliza.examples.quarkus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultComponent;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The application against a real elizaOS server, in JVM mode. */
@QuarkusTest
@WithTestResource(ElizaServerResource.class)
class AskAgentRouteTest {

    /** The Camel version camel-eliza 0.1.0-SNAPSHOT was compiled against. */
    private static final String COMPILED_CAMEL_VERSION = "4.17.0";

    @InjectElizaServer
    ElizaTestServer server;

    @Inject
    CamelContext context;

    @Inject
    ProducerTemplate producer;

    @Test
    void postAskReturnsTheAgentsAnswer() {
        String question = "What can Camel do with Eliza?";
        given()
                .contentType("text/plain")
                .body(question)
                .when()
                .post("/ask")
                .then()
                .statusCode(200)
                .body(equalTo(ElizaTestServer.expectedReply(server.agent(), question)));
    }

    @Test
    void propertiesConfigureTheComponentAndItsEndpoints() {
        // found through META-INF/services/org/apache/camel/component/eliza, without a Quarkus extension
        ElizaComponent component = context.getComponent("eliza", ElizaComponent.class);
        assertThat(component).isNotNull();
        assertThat(component.getConfiguration().getUrl()).isEqualTo(server.url());
        assertThat(component.getConfiguration().getAgentId()).isEqualTo(server.agent().id());
        assertThat(component.getConfiguration().getEntityId()).isEqualTo("4d8f1f7e-5d5e-4e0a-9a53-7f2f0b8f3c11");
        assertThat(component.getConfiguration().getSenderName()).isEqualTo("Quarkus");

        ElizaEndpoint endpoint = context.getEndpoint("eliza:support", ElizaEndpoint.class);
        assertThat(endpoint.getConfiguration().getUrl()).isEqualTo(server.url());
        assertThat(endpoint.getConfiguration().getEntityId()).isEqualTo("4d8f1f7e-5d5e-4e0a-9a53-7f2f0b8f3c11");
        assertThat(endpoint.getConfiguration().getAgentId()).isEqualTo(server.agent().id());
    }

    @Test
    void theApplicationsCamelVersionWins() throws IOException {
        String bomCamelVersion = camelVersionOfTheCamelQuarkusBom();
        assertThat(bomCamelVersion).isNotEqualTo(COMPILED_CAMEL_VERSION);

        assertThat(context.getVersion()).isEqualTo(bomCamelVersion);
        assertThat(jarOf(DefaultComponent.class)).isEqualTo("camel-support-" + bomCamelVersion + ".jar");
        assertThat(jarOf(CamelContext.class)).isEqualTo("camel-api-" + bomCamelVersion + ".jar");
    }

    @Test
    void healthShowsTheElizaChecksUp() {
        // one request-reply through the direct: route, as the application's own code would do
        String question = "Are you ready?";
        assertThat(producer.requestBody("direct:ask", question, String.class))
                .isEqualTo(ElizaTestServer.expectedReply(server.agent(), question));

        Map<String, String> camelChecks = given()
                .when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .extract()
                .jsonPath()
                .getMap("checks.find { it.name == 'camel-readiness-checks' }.data", String.class, String.class);
        // the Eliza producer's check (Camel's producers repository) and the Eliza consumer's (consumer:<routeId>)
        assertThat(camelChecks)
                .containsEntry("context", "UP")
                .containsEntry("consumer:agent-messages", "UP")
                .containsEntry("route:ask-agent", "UP");
        assertThat(camelChecks).hasEntrySatisfying(
                camelChecks.keySet().stream().filter(id -> id.startsWith("producer:eliza-support-")).findFirst()
                        .orElseThrow(() -> new AssertionError("no Eliza producer check in " + camelChecks)),
                state -> assertThat(state).isEqualTo("UP"));
    }

    private static String camelVersionOfTheCamelQuarkusBom() throws IOException {
        String bom = Files.readString(Path.of(System.getProperty("camel-quarkus.bom")));
        Matcher m = Pattern.compile("<artifactId>camel-support</artifactId>\\s*<version>([^<]+)</version>").matcher(bom);
        assertThat(m.find()).as("camel-support in " + System.getProperty("camel-quarkus.bom")).isTrue();
        return m.group(1);
    }

    private static String jarOf(Class<?> type) {
        String location = type.getProtectionDomain().getCodeSource().getLocation().getPath();
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
