package org.cameleliza.component.eliza.it;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * https:// with Camel's SSLContextParameters: a TLS-terminating proxy with a certificate made for this run (keytool)
 * sits in front of the real server. Trusting it works end to end (Socket.IO and REST); not trusting it fails with a
 * clear error.
 */
class ElizaTlsIT extends CamelTestSupport {

    private static final Path DIR = Paths.get("target/tls");
    private static final String PASSWORD = "changeit";
    private static TcpProxy tls;

    @RegisterExtension
    static ElizaServerExtension eliza = ElizaServerExtension.shared();

    @BindToRegistry("elizaTls")
    private final SSLContextParameters trustTestCertificate = trusting();

    @BeforeAll
    static void startTlsProxy() throws Exception {
        Files.createDirectories(DIR);
        Path keystore = DIR.resolve("server.p12");
        Path cert = DIR.resolve("server.crt");
        Path truststore = DIR.resolve("truststore.p12");
        for (Path p : List.of(keystore, cert, truststore)) {
            Files.deleteIfExists(p);
        }
        keytool("-genkeypair", "-alias", "eliza", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "eliza", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "eliza", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASSWORD);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        tls = TcpProxy.tlsTo(eliza.server().port(), serverContext);
    }

    @AfterAll
    static void stopTlsProxy() throws Exception {
        if (tls != null) {
            tls.close();
        }
    }

    private static void keytool(String... args) throws Exception {
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    private static SSLContextParameters trusting() {
        KeyStoreParameters trust = new KeyStoreParameters();
        trust.setResource("file:" + DIR.resolve("truststore.p12"));
        trust.setPassword(PASSWORD);
        trust.setType("PKCS12");
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trust);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trustManagers);
        return parameters;
    }

    private String httpsUrl() {
        return "https://localhost:" + tls.port();
    }

    @Test
    void trustedServerCertificateWorksEndToEnd() throws Exception {
        ElizaTestServer.Agent agent = eliza.server().agent();
        String uri = "eliza:tls-" + UUID.randomUUID() + "?url=" + httpsUrl() + "&sslContextParameters=#elizaTls"
                     + "&agentId=" + agent.id();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + "&agentMessagesOnly=true").to("mock:tls");
            }
        });
        MockEndpoint replies = getMockEndpoint("mock:tls");
        replies.setResultWaitTime(60_000);
        replies.expectedBodiesReceived(ElizaTestServer.expectedReply(agent, "over TLS"));

        replies.setAssertPeriod(1500);
        Exchange reply = template.request(uri, e -> e.getMessage().setBody("over TLS"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(ElizaTestServer.expectedReply(agent, "over TLS"));
        replies.assertIsSatisfied();
    }

    @Test
    void restCallsGoOverTlsToo() throws Exception {
        // what only REST can deliver: the messages posted while the consumer's route was stopped, read from the
        // channel's history when it starts again (over the same TLS settings, or not at all)
        String channel = "tls-rest-" + UUID.randomUUID();
        String consumer = "eliza:" + channel + "?url=" + httpsUrl() + "&sslContextParameters=#elizaTls";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumer).routeId("tls-listener").to("mock:tls-rest");
            }
        });
        MockEndpoint received = getMockEndpoint("mock:tls-rest");
        received.setResultWaitTime(30_000);
        received.expectedBodiesReceived("live", "while stopped");
        received.setAssertPeriod(1500);
        String sender = "eliza:" + channel + "?url=" + eliza.url() + "&entityId=" + UUID.randomUUID();
        template.sendBody(sender, "live");
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> received.getReceivedCounter() == 1);

        context.getRouteController().stopRoute("tls-listener");
        template.sendBody(sender, "while stopped");
        context.getRouteController().startRoute("tls-listener");

        received.assertIsSatisfied();
        assertThat(received.getReceivedExchanges().get(1).getMessage().getHeader(ElizaConstants.RECOVERED)).isEqualTo(true);
    }

    @Test
    void untrustedServerCertificateFailsWithAClearError() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("eliza:tls-untrusted?connectTimeout=3000&testConnectionOnStartup=true&url=" + httpsUrl())
                        .routeId("untrusted").autoStartup(false)
                        .to("mock:never");
            }
        });
        Throwable failure = catchThrowable(() -> context.getRouteController().startRoute("untrusted"));
        assertThat(failure).rootCause().isInstanceOf(ElizaConnectionException.class)
                .hasMessageContaining("Could not connect").hasMessageContaining("certification path");
    }
}
