package org.cameleliza.kamelets.it;

import java.nio.file.Paths;

import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Eliza server (elizaOS 1.7.2, deterministic agent "Echo") for all the integration tests of this module,
 * started by the first class that needs it and stopped when the run ends. It requires an API key full of the
 * characters that break URIs, so every route proves that the Kamelets pass their secret on unchanged. Its log is
 * kept under target/eliza-server-logs.
 */
public final class ElizaServer implements BeforeAllCallback {

    /** The server's SERVER_API_KEY. */
    public static final String API_KEY = "kamelet-s3cr&t+key=1% #x";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ElizaServer.class);

    private ElizaTestServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        // the root store closes its values once, when the whole run ends
        server = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("server", k -> new Stored(start()), Stored.class).server;
    }

    private static ElizaTestServer start() {
        String logDir = System.getProperty("eliza.testServer.logDir", "target/eliza-server-logs");
        return ElizaTestServer.builder().apiKey(API_KEY).logFile(Paths.get(logDir, "kamelets.log")).build().start();
    }

    public ElizaTestServer server() {
        return server;
    }

    public String url() {
        return server.url();
    }

    public ElizaTestServer.Agent agent() {
        return server.agent();
    }

    /** The connection options every route of the tests needs: url, agent and the API key (as RAW, see above). */
    public String connection() {
        return "url=" + url() + "&agentId=" + agent().id() + "&apiKey=RAW(" + API_KEY + ")";
    }

    private static final class Stored implements AutoCloseable {
        final ElizaTestServer server;

        Stored(ElizaTestServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
