package org.cameleliza.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bare Socket.IO server ({@code bare-server/server.mjs}): answers like elizaOS 1.7 and stores nothing. Started
 * with {@code --watch-stdin}, so it exits with this JVM however the JVM ends.
 */
final class BareServer implements AutoCloseable {

    private static final String READY = "BARE_SERVER_READY ";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final int port;
    // new with every start: a pooled connection to a killed server would fail the next request
    private HttpClient http;
    private Process process;
    private Thread hook;

    BareServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** A fresh clone has no node_modules: the pinned packages (package-lock.json) are installed on first use. */
    private void installOnce() {
        if (Files.exists(dir.resolve("node_modules/.package-lock.json"))) {
            return;
        }
        try {
            Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund")).directory(dir.toFile())
                    .inheritIO().start();
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed with exit code " + npm.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run npm ci in " + dir + " (Node 20 and npm on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing the bare server", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path dir() {
        return dir;
    }

    synchronized BareServer start() {
        installOnce();
        // HTTP/1.1: an h2c upgrade request would be taken for a WebSocket upgrade by Socket.IO, which drops it
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            process = new ProcessBuilder(List.of("node", "server.mjs", "--port", String.valueOf(port), "--watch-stdin"))
                    .directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start node (Node 20 on the PATH, npm ci in " + dir + "?)", e);
        }
        Process started = process;
        hook = new Thread(started::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith(READY)) {
                        ready.complete(null);
                    } else {
                        System.err.println("[bare-server] " + line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("The bare server exited before it was ready"));
        }, "bare-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("The bare server did not start: " + e.getMessage(), e);
        }
        return this;
    }

    /** Kills the server: every socket drops at once, as in a crash. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            process = null;
        }
    }

    Map<String, Object> stats() {
        return request(HttpRequest.newBuilder(URI.create(url() + "/bench/stats")).GET());
    }

    void resetStats() {
        request(HttpRequest.newBuilder(URI.create(url() + "/bench/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    long stat(String name) {
        return ((Number) stats().get(name)).longValue();
    }

    private Map<String, Object> request(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return MAPPER.readValue(response.body(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
