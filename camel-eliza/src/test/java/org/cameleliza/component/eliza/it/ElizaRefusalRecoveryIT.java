package org.cameleliza.component.eliza.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One refusal is not forever: the server is restarted with another API key (the consumer is refused), then with the
 * right one again; the consumer comes back by itself, without a storm of attempts in between, and routes what is posted
 * once it is back.
 */
class ElizaRefusalRecoveryIT extends CamelTestSupport {

    private static final String KEY = "refusal-key-" + UUID.randomUUID();
    private static final String OTHER = "other-key-" + UUID.randomUUID();

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.apiKey(KEY));

    @Test
    void aKeyMendedOnTheServerIsFoundAgainByItself() throws Exception {
        String channel = "refusal-" + UUID.randomUUID();
        String uri = "eliza:" + channel + "?url=" + eliza.url() + "&apiKey=" + KEY
                     + "&reconnectInitialDelay=200&reconnectMaxDelay=1000"
                     + "&refusedReconnectInitialDelay=1000&refusedReconnectMaxDelay=2000";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("room").to("mock:room");
            }
        });
        ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);
        await().atMost(Duration.ofSeconds(60)).until(endpoint::isChannelJoined);

        ElizaTestServer server = eliza.server();
        int port = server.port();
        Path dataDir = server.dataDir();
        server.stop();
        try (ElizaTestServer otherKey = ElizaTestServer.builder().port(port).dataDir(dataDir).apiKey(OTHER)
                .logFile(server.logFile().resolveSibling("ElizaRefusalRecoveryIT-other-key.log")).build().start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "REJECTED".equals(endpoint.getConnectionState()));
            assertThat(endpoint.getConnectionLastError()).contains("Invalid or missing API Key").doesNotContain(KEY);

            // refused again and again while the key is wrong, each time after the backoff: no storm
            int before = endpoint.getConnectAttempts();
            await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> true);
            int during = endpoint.getConnectAttempts() - before;
            System.out.println("REFUSAL-TEST: " + during + " connection attempts in 6 s while refused");
            assertThat(during).as("attempts in 6 s with a 1-2 s backoff").isBetween(1, 6);
            assertThat(endpoint.isChannelJoined()).isFalse();
        }
        server.start();
        await().atMost(Duration.ofSeconds(60)).until(endpoint::isChannelJoined);

        MockEndpoint room = getMockEndpoint("mock:room");
        room.setResultWaitTime(30000);
        room.expectedBodiesReceived("after 1", "after 2", "after 3", "after 4", "after 5");
        String sender = "eliza:" + channel + "?url=" + eliza.url() + "&apiKey=" + KEY + "&entityId=" + UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            template.sendBody(sender, "after " + i);
        }
        room.assertIsSatisfied();
        assertThat(endpoint.getConnectionState()).isEqualTo("CONNECTED");
    }
}
