package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.URISupport;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Extra HTTP headers (httpHeader.*) can carry credentials: Camel's own masking of URIs does not know them, so the
 * component masks their values wherever an endpoint is shown, and still sends them.
 */
class ElizaHeaderMaskingIT extends CamelTestSupport {

    private static final String SECRET = "hdr-secret-" + UUID.randomUUID();

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @Test
    void headerValuesAreMaskedWhereverTheEndpointShows() throws Exception {
        ElizaTestSupport.enableProducerHealthChecks(context);
        String uri = "eliza:masking-" + UUID.randomUUID() + "?url=" + eliza.url()
                     + "&httpHeader.Authorization=Bearer " + SECRET + "&httpHeader.X-Tenant=" + SECRET;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:masked").routeId("masked").to(uri);
                from(uri).routeId("masked-consumer").to("mock:masked");
            }
        });
        Exchange sent = template.send("direct:masked", e -> e.getMessage().setBody("with a secret header"));
        assertThat(sent.getException()).isNull();

        ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);
        // still sent as given
        assertThat(endpoint.getConfiguration().getHttpHeaders()).containsEntry("Authorization", "Bearer " + SECRET);
        assertThat(endpoint.toString()).doesNotContain(SECRET);
        // what Camel logs and shows in JMX (ManagedEndpoint, a consumer's toString, route dumps of endpoints)
        assertThat(URISupport.sanitizeUri(endpoint.getEndpointUri())).doesNotContain(SECRET);
        assertThat(endpoint.getEndpointBaseUri()).doesNotContain(SECRET);
        assertThat(context.getRoute("masked-consumer").getConsumer().toString()).doesNotContain(SECRET);
        assertThat(context.getEndpoints()).allSatisfy(e -> assertThat(e.toString()).doesNotContain(SECRET));
        assertThat(String.valueOf(ElizaTestSupport.console(context))).doesNotContain(SECRET);
        await().atMost(Duration.ofSeconds(30)).until(() -> HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().contains("eliza"))
                .allMatch(r -> r.getState() == HealthCheck.State.UP));
        assertThat(HealthCheckHelper.invokeReadiness(context)).isNotEmpty().allSatisfy(r -> {
            assertThat(String.valueOf(r.getDetails())).doesNotContain(SECRET);
            assertThat(String.valueOf(r.getMessage())).doesNotContain(SECRET);
        });
        // the same URI resolves to the same endpoint (Camel's registry is keyed by the URI as given)
        assertThat(context.getEndpoint(uri)).isSameAs(endpoint);
    }
}
