package org.cameleliza.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A real elizaOS server ({@code @elizaos/server} 1.7.2 from npm, pinned by its lockfile, run by Node) whose agents
 * answer deterministically, as the test defines (see {@link ElizaTestAgent}; by default one agent "Echo" answers a
 * message M with {@code "Echo echoes: M"}). No LLM, no API key, no network beyond loopback.
 * <p>
 * The first start installs the pinned Node packages into a cache (see {@link ElizaTestHarness}). The process keeps
 * its data directory across {@link #kill()} / {@link #start()}, so a test can crash and restart the same server on
 * the same port. Its output goes to {@link #logFile()}. It never outlives the JVM that started it: a shutdown hook
 * stops it, and when the JVM is killed the server sees its stdin close and exits.
 * <p>
 * In JUnit 5 tests, {@link ElizaServerExtension} starts and stops it for you.
 */
public final class ElizaTestServer implements AutoCloseable {

    /** The agents the harness can start, in order; their ids are fixed by {@code server.mjs}. */
    public static final List<Agent> KNOWN_AGENTS = List.of(
            new Agent("b850bc30-45f8-0041-a00a-83df46d8555d", "Echo"),
            new Agent("6f7ad3e2-3c1d-4b57-9d0c-6a4f1b2c3d4e", "Parrot"));

    /** The elizaOS line of the default server ({@code @elizaos/server} 1.7.2). */
    public static final String CURRENT_LINE = "1.7";
    /**
     * The older elizaOS lines the harness can start, each the newest patch of its line with its own lockfile: 1.2.12,
     * 1.3.2, 1.4.2, 1.5.8 and 1.6.5 (see {@link Builder#line(String)}).
     */
    public static final List<String> OLDER_LINES = List.of("1.2", "1.3", "1.4", "1.5", "1.6");
    /** Every line the harness can start, oldest first. */
    public static final List<String> LINES = List.of("1.2", "1.3", "1.4", "1.5", "1.6", CURRENT_LINE);

    private final Path harnessDir;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Path logFile;
    private final String apiKey;
    private final String restApiKey;
    private final int agentCount;
    private final Duration startTimeout;
    private final Map<String, String> environment;
    private final List<ElizaTestAgent> agentSpecs;
    private final String line;
    private final FaultFile faults;
    private int port;
    private ServerProcess process;
    private volatile List<Agent> startedAgents;

    private ElizaTestServer(Builder builder) {
        this.harnessDir = builder.harnessDir;
        this.ownsDataDir = builder.dataDir == null;
        this.dataDir = builder.dataDir != null ? builder.dataDir : TempFiles.createTempDir();
        // not inside dataDir: the database refuses a data directory holding foreign files
        this.logFile = builder.logFile != null ? builder.logFile : dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.apiKey = builder.apiKey;
        this.restApiKey = builder.restApiKey;
        this.agentCount = builder.agentCount;
        this.startTimeout = builder.startTimeout;
        this.environment = Map.copyOf(builder.environment);
        this.agentSpecs = List.copyOf(builder.agentSpecs);
        this.line = builder.line;
        this.faults = new FaultFile(dataDir.resolveSibling(dataDir.getFileName() + ".faults.json"));
        this.port = builder.port > 0 ? builder.port : freePort();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the server and returns once it accepts HTTP and Socket.IO requests. */
    public synchronized ElizaTestServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        terminate(true); // a server that died on its own: drop its shutdown hook before a new one is added
        String node = ElizaTestHarness.node();
        Path serverDir = serverDir();
        Path script = serverDir.resolve("server.mjs");
        List<String> command = new ArrayList<>(
                List.of(node, script.toString(), "--port", String.valueOf(port), "--data-dir", dataDir.toString(),
                        "--agents", String.valueOf(agentCount), "--watch-stdin"));
        if (!agentSpecs.isEmpty()) {
            command.add("--agents-file");
            command.add(writeAgentsFile().toString());
        }

        ProcessBuilder pb = new ProcessBuilder(command).directory(serverDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        if (apiKey != null) {
            // in the environment, not on the command line, where every user of the machine could read it (ps)
            pb.environment().put("SERVER_API_KEY", apiKey);
        }
        if (restApiKey != null) {
            pb.environment().put("ELIZA_SERVER_AUTH_TOKEN", restApiKey);
        }
        pb.environment().putIfAbsent("LOG_LEVEL", "info");
        // a fault armed for an earlier run of this server (a JVM killed before close) is not this run's
        faults.delete();
        pb.environment().put("ELIZA_TEST_FAULTS_FILE", faults.path().toString());
        process = ServerProcess.start(pb, port, logFile, agents -> startedAgents = agents);
        try {
            port = process.awaitReady(startTimeout, ElizaTestServer::url);
        } catch (RuntimeException e) {
            process = null; // it stopped the process already
            throw e;
        }
        return this;
    }

    private Path serverDir() {
        String variant = CURRENT_LINE.equals(line) ? null : ElizaTestHarness.lineDir(line);
        if (harnessDir == null) {
            return ElizaTestHarness.serverDir(variant);
        }
        Path serverDir = variant != null ? harnessDir.resolve(variant) : harnessDir;
        if (!Files.isDirectory(serverDir.resolve("node_modules"))) {
            throw new IllegalStateException("The Eliza test server in " + serverDir + " is not installed: run 'npm ci' there");
        }
        return serverDir;
    }

    private Path writeAgentsFile() {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".agents.json");
        TempFiles.write(file, Json.write(agentSpecs.stream().map(ElizaTestAgent::toSpec).toList()));
        return file;
    }

    /**
     * Answers the next {@code times} HTTP requests under {@code path} (a prefix, such as
     * {@code /api/messaging/message-server/current}) with {@code status}, before the server sees them: a server or a
     * gateway that is overloaded (503) or whose rate limit is spent (429; see also {@link #rateLimitNextRequests}).
     * Replaces what was armed before; 0 times disarms it.
     */
    public void failNextRequests(String path, int status, int times) {
        failNextRequests(path, status, times, Map.of());
    }

    /**
     * Like {@link #failNextRequests(String, int, int)}, with these headers on each answer (e.g. a gateway's
     * {@code Retry-After}). A 429 carries elizaOS's own body ({@code "code":"RATE_LIMIT_EXCEEDED"}).
     *
     * @throws IllegalArgumentException a header name or value HTTP does not allow (e.g. one with a line break)
     */
    public void failNextRequests(String path, int status, int times, Map<String, String> headers) {
        faults.arm(path, status, times, Objects.requireNonNull(headers, "headers"));
    }

    /**
     * Answers the next {@code times} HTTP requests under {@code path} as elizaOS 1.7.2 does when a client spent its API
     * rate limit (1000 requests in 15 minutes): 429 with {@code RateLimit-Policy: 1000;w=900},
     * {@code RateLimit-Limit: 1000}, {@code RateLimit-Remaining: 0}, {@code RateLimit-Reset} and {@code Retry-After}
     * both {@code reset} in whole seconds (rounded up), and the body {@code {"success":false,"error":{"code":
     * "RATE_LIMIT_EXCEEDED","message":"Too many requests. Please try again later."}}}. No window really passes: the
     * answers stop after {@code times}. Replaces what was armed before.
     *
     * @param reset when the client's window resets, as the server says; not negative
     */
    public void rateLimitNextRequests(String path, int times, Duration reset) {
        failNextRequests(path, 429, times, FaultFile.rateLimitHeaders(Objects.requireNonNull(reset, "reset")));
    }

    /** How many requests the fault armed by {@link #failNextRequests} has still to answer. */
    public int pendingFailures() {
        return faults.pending();
    }

    /** Stops the server gracefully (SIGTERM, then SIGKILL), together with any child process. */
    public synchronized void stop() {
        terminate(false);
    }

    /** Kills the server at once (SIGKILL), like a crash: no graceful close of its connections. */
    public synchronized void kill() {
        terminate(true);
    }

    private void terminate(boolean forcibly) {
        ServerProcess p = process;
        process = null;
        if (p != null) {
            p.terminate(forcibly);
        }
    }

    /**
     * Stops the server and deletes the data folder it created (not one the builder was given); the log stays for a
     * look after the test.
     */
    @Override
    public void close() {
        stop();
        if (ownsDataDir) {
            TempFiles.deleteRecursively(dataDir);
            TempFiles.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".agents.json"));
        }
        faults.delete();
    }

    /** The process id of the server's Node process, while it runs. */
    public long pid() {
        ServerProcess p = process;
        if (p == null) {
            throw new IllegalStateException("The Eliza test server is not running");
        }
        return p.pid();
    }

    public boolean isRunning() {
        ServerProcess p = process;
        return p != null && p.isAlive();
    }

    public int port() {
        return port;
    }

    public String url() {
        return url(port);
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The agents as the server reported them when it started (before that, as they were defined). */
    public List<Agent> agents() {
        List<Agent> agents = startedAgents;
        if (agents != null) {
            return agents;
        }
        if (!agentSpecs.isEmpty()) {
            return agentSpecs.stream().map(a -> new Agent(a.id(), a.name())).toList();
        }
        return KNOWN_AGENTS.subList(0, agentCount);
    }

    /** The agent of that name. */
    public Agent agent(String name) {
        return agents().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No agent named '" + name + "'; the agents are " + agents()));
    }

    /** The first agent ("Echo"). */
    public Agent agent() {
        return agents().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("This Eliza test server has no agent (agents(0))"));
    }

    public String apiKey() {
        return apiKey;
    }

    /** The elizaOS line this server runs, e.g. "1.7" (see {@link #LINES}). */
    public String line() {
        return line;
    }

    /** The text the deterministic model answers to {@code message}. */
    public static String expectedReply(Agent agent, String message) {
        return agent.name() + " echoes: " + message;
    }

    /** A free TCP port on loopback. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An agent of the test server. */
    public record Agent(String id, String name) {
    }

    public static final class Builder {
        private Path harnessDir;
        private Path dataDir;
        private Path logFile;
        private String apiKey;
        private int agentCount = 1;
        private int port;
        private Duration startTimeout = Duration.ofSeconds(120);
        private final Map<String, String> environment = new java.util.HashMap<>();
        private final List<ElizaTestAgent> agentSpecs = new ArrayList<>();
        private String restApiKey;
        private String line = CURRENT_LINE;

        private Builder() {
        }

        /**
         * Runs the newest server of an elizaOS line (one of {@link #LINES}, e.g. "1.4") instead of the current one.
         * The lines before 1.6 derive an agent's id from its name, and ignore {@link ElizaTestAgent#withId}: ask the
         * started server for its agents.
         */
        public Builder line(String line) {
            if (!LINES.contains(line)) {
                throw new IllegalArgumentException("No elizaOS line '" + line + "' in the test harness; one of " + LINES);
            }
            this.line = line;
            return this;
        }

        /**
         * Starts the server with {@code ELIZA_SERVER_AUTH_TOKEN}: REST requests must carry it as {@code X-API-KEY}. On
         * the lines before 1.6 this is the only authentication the server has (their Socket.IO handshake is open).
         */
        public Builder restApiKey(String restApiKey) {
            this.restApiKey = restApiKey;
            return this;
        }

        /** Runs the harness from this folder (with its node_modules installed) instead of the cached copy. */
        public Builder harnessDir(Path harnessDir) {
            this.harnessDir = harnessDir;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** Starts the server with {@code SERVER_API_KEY}: Socket.IO clients must present it. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Adds an agent whose answers the test defines; the first call replaces the default agent "Echo". Agents'
         * names must differ.
         */
        public Builder agent(ElizaTestAgent agent) {
            Objects.requireNonNull(agent, "agent");
            if (agentSpecs.stream().anyMatch(a -> a.name().equals(agent.name()))) {
                throw new IllegalArgumentException("Two agents named '" + agent.name() + "'");
            }
            agentSpecs.add(agent);
            return this;
        }

        /**
         * Starts the first {@code count} of the built-in echo agents "Echo" and "Parrot" (ids fixed); 0: none, for a
         * test that posts thousands of messages and needs no answer (each agent spends the server's REST rate limit,
         * 1000 requests per 15 minutes per address, on every message posted in any channel).
         */
        public Builder agents(int count) {
            if (count < 0 || count > KNOWN_AGENTS.size()) {
                throw new IllegalArgumentException("agents must be 0.." + KNOWN_AGENTS.size());
            }
            this.agentCount = count;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        public Builder environment(String name, String value) {
            this.environment.put(name, value);
            return this;
        }

        public ElizaTestServer build() {
            return new ElizaTestServer(this);
        }
    }
}
