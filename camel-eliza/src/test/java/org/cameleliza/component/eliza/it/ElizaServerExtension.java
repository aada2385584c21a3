package org.cameleliza.component.eliza.it;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Consumer;

import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real Eliza server for integration tests and stops it afterwards, leaving no process behind. Its log is
 * kept under target/eliza-server-logs.
 * <ul>
 * <li>{@link #shared()}: a server shared by the whole test run, started by the first class that needs it. There are
 * two, and a class always gets the same one: every REST route of a server shares one rate limit (1000 requests per
 * 15 minutes per client address), which the server's own agents spend on every message, and one server for all classes
 * runs out of it before the run ends.</li>
 * <li>{@link #perClass(Consumer)}: a fresh server for one class, for tests that need their own settings or a clean
 * state.</li>
 * </ul>
 */
public final class ElizaServerExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ElizaServerExtension.class);

    private final boolean shared;
    private final Consumer<ElizaTestServer.Builder> customizer;
    private ElizaTestServer server;

    private ElizaServerExtension(boolean shared, Consumer<ElizaTestServer.Builder> customizer) {
        this.shared = shared;
        this.customizer = customizer;
    }

    public static ElizaServerExtension shared() {
        return new ElizaServerExtension(true, b -> b.agents(2));
    }

    public static ElizaServerExtension perClass(Consumer<ElizaTestServer.Builder> customizer) {
        return new ElizaServerExtension(false, customizer);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (shared) {
            // the root store closes its values once, when the whole run ends
            String name = "shared-" + Math.floorMod(context.getRequiredTestClass().getName().hashCode(), 2);
            server = context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(name, k -> new StoredServer(start(name)), StoredServer.class).server;
        } else {
            server = start(context.getRequiredTestClass().getSimpleName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!shared && server != null) {
            server.close();
        }
    }

    private ElizaTestServer start(String name) {
        ElizaTestServer.Builder builder = ElizaTestServer.builder().logFile(logDir().resolve(name + ".log"));
        customizer.accept(builder);
        return builder.build().start();
    }

    private static Path logDir() {
        return Paths.get(System.getProperty("eliza.testServer.logDir", "target/eliza-server-logs"));
    }

    public ElizaTestServer server() {
        return server;
    }

    public String url() {
        return server.url();
    }

    /** JUnit closes AutoCloseable values of the root store when the run ends. */
    private static final class StoredServer implements AutoCloseable {
        final ElizaTestServer server;

        StoredServer(ElizaTestServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
