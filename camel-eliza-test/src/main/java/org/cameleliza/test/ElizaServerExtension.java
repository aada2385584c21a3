package org.cameleliza.test;

import java.util.Objects;
import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real elizaOS server before the tests of a class and stops it after them, with agents whose answers the
 * test defines:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(
 *         ElizaTestAgent.named("Support").when("refund", "Refunds take 5 days.").otherwise("Please hold."));
 *
 * ... "eliza:support?agentId=" + ELIZA.agentId("Support") + "&amp;url=" + ELIZA.url()
 * </pre>
 *
 * Register it on a {@code static} field: the server starts once per test class ({@code @Nested} classes share their
 * enclosing class's server) and is closed after it, its temporary data deleted. Frameworks that read their
 * configuration when their context starts (Spring's {@code @DynamicPropertySource}, a Quarkus test resource) can ask
 * it for {@link #url()} then, because it starts before them.
 */
public final class ElizaServerExtension implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<ElizaTestServer.Builder> configuration;
    private ElizaTestServer server;
    /** The test class whose beforeAll started the server: @Nested classes inherit the extension, not the server's end. */
    private Class<?> owner;

    private ElizaServerExtension(Consumer<ElizaTestServer.Builder> configuration) {
        this.configuration = configuration;
    }

    /** A server with these agents (none: the default agent "Echo", which answers M with "Echo echoes: M"). */
    public static ElizaServerExtension withAgents(ElizaTestAgent... agents) {
        return configured(b -> {
            for (ElizaTestAgent agent : agents) {
                b.agent(agent);
            }
        });
    }

    /** A server configured by the test, e.g. {@code b -> b.agent(...).apiKey("secret")}. */
    public static ElizaServerExtension configured(Consumer<ElizaTestServer.Builder> configuration) {
        return new ElizaServerExtension(Objects.requireNonNull(configuration));
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (owner == null) {
            owner = context.getRequiredTestClass();
        }
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ElizaTestServer s;
        synchronized (this) {
            if (context.getRequiredTestClass() != owner) {
                return;
            }
            s = server;
            server = null;
            owner = null;
        }
        if (s != null) {
            s.close();
        }
    }

    /** The server, started if it was not yet (so it can be asked for before JUnit's callbacks ran). */
    public synchronized ElizaTestServer server() {
        return start();
    }

    private synchronized ElizaTestServer start() {
        if (server == null) {
            ElizaTestServer.Builder builder = ElizaTestServer.builder();
            configuration.accept(builder);
            server = builder.build().start();
        }
        return server;
    }

    /** The server's URL, e.g. {@code http://127.0.0.1:41234}: the component's {@code url} option. */
    public String url() {
        return server().url();
    }

    /** The id of the agent of that name. */
    public String agentId(String name) {
        return server().agent(name).id();
    }

    /** The id of the first agent. */
    public String agentId() {
        return server().agent().id();
    }
}
