package org.cameleliza.component.eliza.it;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaAuthenticationException;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Refused credentials end in a clear error after one connection attempt, and the next comes only after the refusal's
 * slow backoff, never in a retry loop; and no credential reaches a log, an exception or a URI Camel prints.
 */
class ElizaAuthFailuresIT extends CamelTestSupport {

    private static final String KEY = "server-key-" + UUID.randomUUID();
    private static final String WRONG = "wrong-key-" + UUID.randomUUID();
    private static final String TOKEN = "jwt-token-" + UUID.randomUUID();

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.perClass(b -> b.apiKey(KEY));

    private void startConsumer(String routeId, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).autoStartup(false).to("mock:" + routeId);
            }
        });
    }

    @Test
    void wrongKeyFailsAfterOneAttemptWithNoStormOfRetries() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(eliza.server().port())) {
            String uri = "eliza:auth-bounded?url=http://127.0.0.1:" + proxy.port() + "&apiKey=" + WRONG
                         + "&reconnectInitialDelay=100&reconnectMaxDelay=200&testConnectionOnStartup=true";
            startConsumer("wrong-key", uri);
            Throwable failure = catchThrowable(() -> context.getRouteController().startRoute("wrong-key"));
            assertThat(failure).rootCause().isInstanceOf(ElizaAuthenticationException.class)
                    .hasMessageContaining("Invalid or missing API Key").hasMessageNotContaining(WRONG);
            int tcpConnections = settledCount(proxy::connections);

            // the producer (started without the strict test) keeps its refused connection: its Socket.IO attempts can
            // be counted exactly; the next one comes after refusedReconnectInitialDelay (a minute), not now
            String producerUri = uri.replace("&testConnectionOnStartup=true", "");
            Exchange sent = template.send(producerUri, e -> e.getMessage().setBody("hello?"));
            assertThat(sent.getException()).isInstanceOf(ElizaAuthenticationException.class)
                    .hasMessageContaining("Invalid or missing API Key");
            ElizaEndpoint endpoint = context.getEndpoint(producerUri, ElizaEndpoint.class);
            int attempts = settledCount(endpoint::getConnectAttempts);
            System.out.println("AUTH-TEST: wrong api key: consumer start " + tcpConnections
                               + " TCP connections, producer " + attempts + " Socket.IO attempt(s), then none");
            assertThat(endpoint.getConnectionState()).isEqualTo("REJECTED");
            assertThat(attempts).isEqualTo(1);
            // one attempt opens a few TCP connections (polling handshake, CONNECT, long poll, WebSocket probe): their
            // number varies, that it settled (no growth for 3 s with a 100 ms reconnect delay) is what counts
            assertThat(tcpConnections).isPositive();
        }
    }

    /**
     * The count once it stopped changing for 3 s. With a 100 ms reconnect delay a retry loop would keep it growing, and
     * this would time out; the last connection of the refused attempt (its WebSocket probe) may land just after.
     */
    private static int settledCount(java.util.function.IntSupplier count) {
        AtomicInteger last = new AtomicInteger(-1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
                .until(() -> {
                    int now = count.getAsInt();
                    return last.getAndSet(now) == now;
                });
        return count.getAsInt();
    }

    @Test
    void missingCredentialsFailWithTheServersReason() throws Exception {
        startConsumer("no-key", "eliza:auth-missing?testConnectionOnStartup=true&url=" + eliza.url());
        Throwable failure = catchThrowable(() -> context.getRouteController().startRoute("no-key"));
        assertThat(failure).rootCause().isInstanceOf(ElizaAuthenticationException.class)
                .hasMessageContaining("Invalid or missing API Key");
    }

    @Test
    void gatewayAnswering401IsAnAuthenticationFailureNotARetryLoop() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        gateway.start();
        try {
            startConsumer("gateway", "eliza:auth-gateway?url=http://127.0.0.1:" + gateway.getAddress().getPort()
                                     + "&authToken=" + TOKEN + "&reconnectInitialDelay=100&reconnectMaxDelay=200"
                                     + "&testConnectionOnStartup=true");
            Throwable failure = catchThrowable(() -> context.getRouteController().startRoute("gateway"));
            assertThat(failure).rootCause().isInstanceOf(ElizaAuthenticationException.class)
                    .hasMessageContaining("HTTP 401").hasMessageNotContaining(TOKEN);
            int attempts = settledCount(requests::get);
            System.out.println("AUTH-TEST: HTTP 401 gateway: " + attempts + " requests, then none");
            assertThat(attempts).isBetween(1, 2);
        } finally {
            gateway.stop(0);
        }
    }

    /** By default a refused consumer starts, reports DOWN with the refusal, and tries again after its backoff. */
    @Test
    void aRefusedConsumerStartsAndSaysWhyItIsDown() throws Exception {
        String uri = "eliza:auth-default?url=" + eliza.url() + "&apiKey=" + WRONG;
        startConsumer("refused-default", uri);
        context.getRouteController().startRoute("refused-default");
        ElizaEndpoint endpoint = context.getEndpoint(uri, ElizaEndpoint.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> "REJECTED".equals(endpoint.getConnectionState()));
        assertThat(endpoint.getConnectionLastError()).contains("Invalid or missing API Key").contains("trying again in")
                .doesNotContain(WRONG);
        assertThat(settledCount(endpoint::getConnectAttempts)).isEqualTo(1);
    }

    @Test
    void secretsAreMaskedInUrisAndNeverLogged() throws Exception {
        String uri = "eliza:auth-secret?url=" + eliza.url() + "&apiKey=" + KEY + "&authToken=" + TOKEN;
        Exchange sent = template.send(uri, e -> e.getMessage().setBody("with both credentials"));
        assertThat(sent.getException()).isNull();
        assertThat(context.getEndpoint(uri).toString()).doesNotContain(KEY).doesNotContain(TOKEN);
    }

    @AfterAll
    static void noSecretInTheTestLog() throws Exception {
        Path log = Paths.get("target/camel-eliza-test.log");
        String text = Files.exists(log) ? Files.readString(log) : "";
        assertThat(text).isNotEmpty().doesNotContain(KEY).doesNotContain(WRONG).doesNotContain(TOKEN);
    }
}
