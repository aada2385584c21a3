package org.cameleliza.component.eliza.it;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server of every elizaOS line ({@link ElizaTestServer#LINES}) for the whole test run, all protected by the
 * same API key (Socket.IO's SERVER_API_KEY, and ELIZA_SERVER_AUTH_TOKEN for REST, the only check the lines before 1.6
 * have). They start together on first use, three at a time (the machine has two cores; a server spends most of its
 * start waiting for its database), so a suite over all lines waits for the slowest start about once, not six times.
 */
final class ElizaLineServers implements AutoCloseable {

    static final String API_KEY = "lines-suite-key";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ElizaLineServers.class);

    private final ExecutorService starters = Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r, "eliza-line-server-start");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<ElizaTestServer>> servers = new LinkedHashMap<>();

    private ElizaLineServers() {
        for (String line : ElizaTestServer.LINES) {
            ElizaTestServer server = ElizaTestServer.builder().line(line).apiKey(API_KEY).restApiKey(API_KEY)
                    .startTimeout(Duration.ofMinutes(5)).logFile(logDir().resolve("line-" + line + ".log")).build();
            servers.put(line, CompletableFuture.supplyAsync(server::start, starters));
        }
    }

    /** The servers of the whole run: the root store closes them once, when it ends. */
    static ElizaLineServers of(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("servers", k -> new ElizaLineServers(), ElizaLineServers.class);
    }

    /** The started server of a line; waits for its start. */
    ElizaTestServer server(String line) {
        return servers.get(line).join();
    }

    @Override
    public void close() {
        servers.values().forEach(f -> f.thenAccept(ElizaTestServer::close));
        starters.shutdown();
    }

    private static Path logDir() {
        return Paths.get(System.getProperty("eliza.testServer.logDir", "target/eliza-server-logs"));
    }
}
