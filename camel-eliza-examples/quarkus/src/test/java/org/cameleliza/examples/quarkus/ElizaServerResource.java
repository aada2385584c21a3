package org.cameleliza.examples.quarkus;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.cameleliza.test.ElizaTestServer;

/**
 * Starts a real elizaOS server (with the deterministic agent "Echo") before Quarkus starts, and points the
 * application at it by overriding the properties of {@code application.properties}.
 */
public class ElizaServerResource implements QuarkusTestResourceLifecycleManager {

    private ElizaTestServer server;

    @Override
    public Map<String, String> start() {
        server = ElizaTestServer.builder()
                .logFile(Path.of("target", "eliza-server.log").toAbsolutePath())
                .build()
                .start();
        return Map.of(
                "eliza.url", server.url(),
                "eliza.agent-id", server.agent().id());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectElizaServer.class, ElizaTestServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
