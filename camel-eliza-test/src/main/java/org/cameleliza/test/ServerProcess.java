package org.cameleliza.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cameleliza.test.ElizaTestServer.Agent;

/**
 * One run of the test server's Node process: started with a shutdown hook that stops it, its output copied to the log
 * file, ready once it printed its READY line (see harness.mjs) and answers HTTP, and ended gracefully or at once.
 */
final class ServerProcess {

    private static final String READY_MARKER = "ELIZA_TEST_SERVER_READY ";
    private static final Pattern PORT = Pattern.compile("\"port\":(\\d+)");
    private static final Pattern AGENT = Pattern.compile("\\{\"id\":\"([0-9a-f-]{36})\",\"name\":\"([^\"]+)\"\\}");

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Consumer<List<Agent>> onAgents;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final Thread shutdownHook;

    private ServerProcess(Process process, int port, Path logFile, Consumer<List<Agent>> onAgents) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.onAgents = onAgents;
        // gracefully, as stop() does (SIGKILL only if it is still there after 15 s): a server killed in the middle
        // of a write can leave a data folder it cannot start from again (ElizaLocalServer's --data-dir)
        this.shutdownHook = new Thread(() -> terminate(false), "eliza-test-server-shutdown-" + port);
    }

    /**
     * Starts the process {@code builder} describes, on {@code port} (unless its READY line names another), appending
     * its output to {@code logFile}. {@code onAgents} is given the agents of its READY line, as soon as it comes.
     */
    static ServerProcess start(ProcessBuilder builder, int port, Path logFile, Consumer<List<Agent>> onAgents) {
        Process process;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start node for the Eliza test server (is Node 20 on the PATH?)", e);
        }
        ServerProcess started = new ServerProcess(process, port, logFile, onAgents);
        Runtime.getRuntime().addShutdownHook(started.shutdownHook);
        Thread pump = new Thread(started::pumpOutput, "eliza-test-server-output-" + port);
        pump.setDaemon(true);
        pump.start();
        return started;
    }

    /**
     * Waits up to {@code timeout} for the READY line, then as long for the server to answer HTTP at the address
     * {@code url} gives for the port that line names, and returns that port. A process that ends before, or is not
     * ready in time, is stopped: the exception says why, and where its log is.
     */
    int awaitReady(Duration timeout, IntFunction<String> url) {
        try {
            int readyPort = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitHttp(url.apply(readyPort), timeout);
            return readyPort;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate(false);
            throw new IllegalStateException("Interrupted while starting the Eliza test server", e);
        } catch (ExecutionException e) {
            terminate(false);
            throw new IllegalStateException(e.getCause().getMessage() + "; see its log " + logFile, e.getCause());
        } catch (TimeoutException e) {
            terminate(false);
            throw new IllegalStateException("The Eliza test server did not start within " + timeout
                                            + "; see its log " + logFile,
                    e);
        }
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            String line;
            while ((line = in.readLine()) != null) {
                log.println(line);
                log.flush();
                if (line.startsWith(READY_MARKER)) {
                    List<Agent> agents = new ArrayList<>();
                    Matcher a = AGENT.matcher(line);
                    while (a.find()) {
                        agents.add(new Agent(a.group(1), a.group(2)));
                    }
                    onAgents.accept(List.copyOf(agents));
                    Matcher m = PORT.matcher(line);
                    ready.complete(m.find() ? Integer.parseInt(m.group(1)) : port);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        } finally {
            ready.completeExceptionally(new IllegalStateException("The Eliza test server exited with code "
                                                                  + exitCode() + " before it was ready"));
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    /** The READY line comes after listen(); one HTTP round trip proves the API answers too. */
    private static void awaitHttp(String url, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url + "/socket.io/?EIO=4&transport=polling")
                        .toURL().openConnection();
                c.setConnectTimeout(2000);
                c.setReadTimeout(2000);
                int code = c.getResponseCode();
                c.disconnect();
                if (code == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(200);
        }
        throw new TimeoutException("Socket.IO endpoint did not answer");
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Ends the process and its children: SIGTERM ({@code forcibly}: SIGKILL), SIGKILL if it is still there after 15
     * seconds; its shutdown hook goes with it.
     */
    void terminate(boolean forcibly) {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook does the same
        }
        List<ProcessHandle> children = process.descendants().toList();
        if (forcibly) {
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
