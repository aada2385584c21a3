package org.cameleliza.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL 15 cluster with pgvector on 127.0.0.1, for an elizaOS server with data isolation
 * ({@code ENABLE_DATA_ISOLATION=true} refuses PGlite). {@code postgres/start-postgres.sh} of this kit does the work:
 * on first use it installs PostgreSQL 15 from Debian's packages and builds pgvector (this needs root), then it
 * creates the cluster, a database {@code eliza} and its owner {@code eliza}, who is not a superuser, so row-level
 * security holds in the database too. {@link #close()} stops the cluster and deletes its folder. A JVM that dies
 * without closing it leaves no server behind: the script stops the cluster when this JVM's process ends.
 * <p>
 * The server process needs three variables, which {@link #dataIsolationEnvironment(UUID)} gives:
 *
 * <pre>
 * try (ElizaTestPostgres postgres = ElizaTestPostgres.start()) {
 *     ElizaTestServer.Builder builder = ElizaTestServer.builder();
 *     postgres.dataIsolationEnvironment(UUID.randomUUID()).forEach(builder::environment);
 *     ...
 * }
 * </pre>
 * <p>
 * elizaOS 1.6 and later use PostgreSQL only when {@code AgentServer.start} is given {@code postgresUrl}, which the
 * kit's servers pass from {@code POSTGRES_URL}.
 * <p>
 * The scripts are found through {@code -Deliza.testPostgres.dir} / {@code ELIZA_TEST_POSTGRES_DIR} (the folder holding
 * them), in the kit's jar (when it packs {@code postgres/*.sh}), or in the checkout the tests run from.
 */
public final class ElizaTestPostgres implements AutoCloseable {

    private static final String START_SCRIPT = "start-postgres.sh";
    private static final String STOP_SCRIPT = "stop-postgres.sh";
    private static final String RESOURCE_ROOT = "camel-eliza-test/harness/postgres/";
    private static final String URL_MARKER = "POSTGRES_URL=";
    /** A first start on a fresh machine installs Debian packages and compiles pgvector. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final boolean ownsDir;
    private final int port;
    private final Path scripts;
    private final boolean ownsScripts;
    private final Path logFile;
    private final String url;
    private boolean closed;

    private ElizaTestPostgres(Path dir, boolean ownsDir, int port, Path scripts, boolean ownsScripts, Path logFile,
                              String url) {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.port = port;
        this.scripts = scripts;
        this.ownsScripts = ownsScripts;
        this.logFile = logFile;
        this.url = url;
    }

    /** Starts a cluster in a new temporary folder on a free port. */
    public static ElizaTestPostgres start() {
        try {
            // under java.io.tmpdir (/tmp): the cluster's owner, user postgres when we are root, must reach it
            Path dir = Files.createTempDirectory("eliza-test-postgres-");
            return start(dir, ElizaTestServer.freePort(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a folder for the test PostgreSQL cluster", e);
        }
    }

    /**
     * Starts a cluster in {@code dir} on {@code port}, or reuses the one running there. {@link #close()} stops it but
     * keeps the folder, which the caller gave.
     */
    public static ElizaTestPostgres start(Path dir, int port) {
        return start(dir, port, false);
    }

    private static ElizaTestPostgres start(Path dir, int port, boolean ownsDir) {
        Path absolute = dir.toAbsolutePath();
        Path logFile = absolute.resolveSibling(absolute.getFileName() + ".log");
        Located located;
        try {
            located = locateScripts(absolute);
        } catch (RuntimeException e) {
            if (ownsDir) {
                TempFiles.deleteRecursively(absolute);
            }
            throw e;
        }
        try {
            return run(absolute, ownsDir, port, located, logFile);
        } catch (RuntimeException e) {
            // a half-started cluster of ours must not outlive the failure
            try {
                new ElizaTestPostgres(absolute, ownsDir, port, located.dir, located.extracted, logFile, null).close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static ElizaTestPostgres run(Path absolute, boolean ownsDir, int port, Located located, Path logFile) {
        List<String> command = List.of("bash", located.dir.resolve(START_SCRIPT).toString(),
                "--watch-pid", String.valueOf(ProcessHandle.current().pid()),
                absolute.toString(), String.valueOf(port));
        try {
            // output to the log, not a pipe: a script that hangs must not hang the test past the timeout
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("The test PostgreSQL cluster did not start within " + START_TIMEOUT
                                                + "; see " + logFile);
            }
            String url = lastUrl(logFile);
            if (p.exitValue() != 0 || url == null) {
                throw new IllegalStateException("The test PostgreSQL cluster did not start (exit code " + p.exitValue()
                                                + "); see " + logFile + " and " + absolute.resolve("postgres.log"));
            }
            return new ElizaTestPostgres(absolute, ownsDir, port, located.dir, located.extracted, logFile, url);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + START_SCRIPT + " (is bash on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the test PostgreSQL cluster", e);
        }
    }

    /** The log holds every start in this folder; the newest URL line is this one's. */
    private static String lastUrl(Path logFile) throws IOException {
        String url = null;
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            if (line.startsWith(URL_MARKER)) {
                url = line.substring(URL_MARKER.length()).trim();
            }
        }
        return url;
    }

    /** The database's URL, for {@code POSTGRES_URL}: {@code postgres://eliza@127.0.0.1:PORT/eliza}. */
    public String url() {
        return url;
    }

    /**
     * The database's URL for a server whose {@code ELIZA_SERVER_ID} is {@code serverId}. It makes that id the
     * session's row-level-security server: elizaOS 1.7 sets it only inside some transactions, and its own writes at
     * start fail without it ("new row violates row-level security policy for table message_servers"). 1.6 ignores
     * it (it passes the id as the connection's application_name).
     */
    public String url(UUID serverId) {
        return url + "?options=-c%20app.server_id%3D" + serverId;
    }

    /**
     * What a server process needs to run with data isolation on this database as the deployment {@code serverId}:
     * {@code ENABLE_DATA_ISOLATION}, {@code ELIZA_SERVER_ID} and {@code POSTGRES_URL}. Servers of one elizaOS line
     * with different ids may share the database, each seeing only its own rows, if their agents' ids differ too: an
     * agent id is unique across the database, and a server whose agent id another server holds never gets ready
     * ("duplicate key value violates unique constraint agents_pkey"). Lines 1.6 and 1.7 need a database each: their
     * schemas differ.
     */
    public Map<String, String> dataIsolationEnvironment(UUID serverId) {
        Objects.requireNonNull(serverId, "serverId");
        return Map.of("ENABLE_DATA_ISOLATION", "true",
                "ELIZA_SERVER_ID", serverId.toString(),
                "POSTGRES_URL", url(serverId));
    }

    public int port() {
        return port;
    }

    /** The cluster's folder; its data in {@code data}, the database server's log in {@code postgres.log}. */
    public Path dir() {
        return dir;
    }

    /** What the start and stop scripts printed. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the cluster (open sessions are ended) and deletes its folder, if it made it. The log file stays. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Process p = new ProcessBuilder("bash", scripts.resolve(STOP_SCRIPT).toString(), dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("The test PostgreSQL cluster did not stop within " + STOP_TIMEOUT
                                                + "; see " + logFile);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("The test PostgreSQL cluster did not stop; see " + logFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + STOP_SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the test PostgreSQL cluster", e);
        }
        // only once stopped: a running cluster whose folder is gone cannot be stopped by its script any more
        if (ownsDir) {
            TempFiles.deleteRecursively(dir);
        }
        if (ownsScripts) {
            TempFiles.deleteRecursively(scripts);
        }
    }

    private record Located(Path dir, boolean extracted) {
    }

    private static Located locateScripts(Path clusterDir) {
        String configured = System.getProperty("eliza.testPostgres.dir", System.getenv("ELIZA_TEST_POSTGRES_DIR"));
        if (configured != null && !configured.isBlank()) {
            Path dir = Paths.get(configured).toAbsolutePath();
            if (!Files.isRegularFile(dir.resolve(START_SCRIPT))) {
                throw new IllegalStateException(START_SCRIPT + " is not in " + dir + " (eliza.testPostgres.dir)");
            }
            return new Located(dir, false);
        }
        Path extracted = extractFromJar(clusterDir);
        if (extracted != null) {
            return new Located(extracted, true);
        }
        // a checkout: the tests run in a module folder of the project, or in camel-eliza-test itself
        List<Path> candidates = new ArrayList<>();
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            candidates.add(p.resolve("postgres"));
            candidates.add(p.resolve("camel-eliza-test").resolve("postgres"));
        }
        return candidates.stream().filter(d -> Files.isRegularFile(d.resolve(START_SCRIPT))
                                               && Files.isRegularFile(d.resolve(STOP_SCRIPT)))
                .findFirst().map(d -> new Located(d, false))
                .orElseThrow(() -> new IllegalStateException("Cannot find camel-eliza-test's postgres/" + START_SCRIPT
                                                             + "; set -Deliza.testPostgres.dir to its folder"));
    }

    /** The scripts side by side (the start script's watchdog calls the stop script), beside the cluster's folder. */
    private static Path extractFromJar(Path clusterDir) {
        ClassLoader loader = ElizaTestPostgres.class.getClassLoader();
        if (loader.getResource(RESOURCE_ROOT + START_SCRIPT) == null) {
            return null;
        }
        Path target = clusterDir.resolveSibling(clusterDir.getFileName() + ".scripts");
        try {
            Files.createDirectories(target);
            for (String name : List.of(START_SCRIPT, STOP_SCRIPT)) {
                try (InputStream in = loader.getResourceAsStream(RESOURCE_ROOT + name)) {
                    if (in == null) {
                        throw new IllegalStateException(RESOURCE_ROOT + name
                                                        + " is missing from the camel-eliza-test jar");
                    }
                    Path file = target.resolve(name);
                    Files.write(file, in.readAllBytes());
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the PostgreSQL scripts to " + target, e);
        }
        return target;
    }
}
