package org.cameleliza.component.eliza.it;

import java.time.Duration;
import java.util.UUID;

import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server whose REST API wants a key (ELIZA_SERVER_AUTH_TOKEN) while its Socket.IO handshake does not: the handshake
 * succeeds, the first REST call is refused. The connection is REJECTED and stays so, with the reason, instead of
 * turning into a dead DISCONNECTED connection.
 */
class ElizaRestRefusedIT extends CamelTestSupport {

    private static final String REST_KEY = "rest-key-" + UUID.randomUUID();

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.environment("ELIZA_SERVER_AUTH_TOKEN", REST_KEY));

    @Test
    void aRestRefusalAfterTheHandshakeRejectsTheConnectionForGood() {
        String channel = "rest-refused-" + UUID.randomUUID();
        String uri = "eliza:" + channel + "?url=" + eliza.url() + "&reconnectInitialDelay=100&reconnectMaxDelay=200";
        Exception refused = template.send(uri, e -> e.getMessage().setBody("without the key")).getException();
        assertThat(refused).isInstanceOf(ElizaAuthenticationException.class).hasMessageContaining("HTTP 401")
                .hasMessageNotContaining(REST_KEY);
        ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);
        assertThat(endpoint.getConnectionState()).isEqualTo("REJECTED");
        int attempts = endpoint.getConnectAttempts();

        // it stays refused, and says why, on every later exchange
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> "REJECTED".equals(endpoint.getConnectionState()));
        assertThat(endpoint.getConnectAttempts()).as("no reconnect after a refusal").isEqualTo(attempts);
        assertThat(template.send(uri, e -> e.getMessage().setBody("again")).getException())
                .isInstanceOf(ElizaAuthenticationException.class).hasMessageContaining("HTTP 401");

        // with the key, the same server works
        Exception withKey = template.send(uri + "&apiKey=" + REST_KEY, e -> e.getMessage().setBody("with the key"))
                .getException();
        assertThat(withKey).isNull();
    }
}
