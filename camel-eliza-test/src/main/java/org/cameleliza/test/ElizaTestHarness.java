package org.cameleliza.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the Node side of the test server lives, and Node itself.
 * <p>
 * The harness (server scripts, package.json and the package-lock.json that pins {@code @elizaos/server}) ships inside
 * this jar. On first use it is copied to a cache folder and {@code npm ci} installs the pinned packages there, once:
 * later runs, and other JVMs, reuse it. The folder is named after the lockfiles' hash, so a kit with other pinned
 * packages installs beside it and never under a server that runs from it; a lock (within the JVM and, by a file
 * lock, across JVMs) covers copying and installing. The cache is {@code ~/.cache/camel-eliza-test}, or
 * {@code -Deliza.test.cache} / {@code ELIZA_TEST_CACHE}. A checkout of the
 * harness can be used instead with {@code -Deliza.testServer.dir} / {@code ELIZA_TEST_SERVER_DIR} (this project's own
 * build does that).
 */
final class ElizaTestHarness {

    /** The files of the harness inside the jar, relative to {@link #RESOURCE_ROOT}. */
    static final List<String> FILES = files();
    private static final String RESOURCE_ROOT = "camel-eliza-test/harness/";
    private static final int MIN_NODE_MAJOR = 20;
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.");
    /** File locks only exclude other JVMs; this excludes the other threads of this one. */
    private static final Object INSTALL_LOCK = new Object();

    private ElizaTestHarness() {
    }

    private static List<String> files() {
        List<String> files = new ArrayList<>(List.of("package.json", "package-lock.json", "server.mjs",
                "harness.mjs", "deterministic-model.mjs", "mcp-tools.mjs", "post-message.mjs"));
        for (String line : ElizaTestServer.OLDER_LINES) {
            for (String file : List.of("package.json", "package-lock.json", "server.mjs")) {
                files.add(lineDir(line) + "/" + file);
            }
        }
        return List.copyOf(files);
    }

    /** The folder of an older server line, relative to the harness. */
    static String lineDir(String line) {
        return "lines/" + line;
    }

    /**
     * The folder to run {@code server.mjs} of {@code variant} (a folder under the harness, null: the current server)
     * from, installed.
     */
    static Path serverDir(String variant) {
        String configured = setting("eliza.testServer.dir", "ELIZA_TEST_SERVER_DIR");
        if (configured != null) {
            Path dir = Paths.get(configured).toAbsolutePath();
            Path serverDir = variant != null ? dir.resolve(variant) : dir;
            synchronized (INSTALL_LOCK) {
                // a checkout: installed by 'npm ci' there (as CI does for every line), or now, once
                if (!Files.exists(serverDir.resolve("node_modules/.package-lock.json"))) {
                    try {
                        npmCi(serverDir);
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot install the Eliza test server in " + serverDir, e);
                    }
                }
            }
            return serverDir;
        }
        synchronized (INSTALL_LOCK) {
            Path root = cacheRoot().resolve(harnessHash()).resolve("harness");
            try {
                Files.createDirectories(root);
                try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    extract(root);
                    Path serverDir = variant != null ? root.resolve(variant) : root;
                    installOnce(serverDir);
                    return serverDir;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot install the Eliza test server in " + root, e);
            }
        }
    }

    /** The node executable, checked to be Node.js 20 or newer, with a message that says what to do if not. */
    static String node() {
        String node = setting("eliza.test.node", "ELIZA_TEST_NODE");
        if (node == null) {
            node = "node";
        }
        String version;
        try {
            Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("camel-eliza-test runs a real elizaOS server on Node.js " + MIN_NODE_MAJOR
                                            + " or newer, but '" + node + "' cannot be run (" + e.getMessage()
                                            + "). Install Node.js " + MIN_NODE_MAJOR
                                            + "+ (https://nodejs.org or your system's package manager) and put node "
                                            + "and npm on the PATH, or set -Deliza.test.node=/path/to/node.",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the Node.js version", e);
        }
        Matcher m = NODE_VERSION.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < MIN_NODE_MAJOR) {
            throw new IllegalStateException("camel-eliza-test needs Node.js " + MIN_NODE_MAJOR + " or newer, but '"
                                            + node + " --version' says '" + version + "'. Install Node.js "
                                            + MIN_NODE_MAJOR + "+ or set -Deliza.test.node=/path/to/node.");
        }
        return node;
    }

    /**
     * Copies the harness out of the jar into {@code root}, the files whose content changed only, each replaced in one
     * move (a server starting from the folder never reads half a file).
     */
    private static void extract(Path root) throws IOException {
        for (String file : FILES) {
            byte[] content = resource(file);
            Path target = root.resolve(file);
            Files.createDirectories(target.getParent());
            if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), content)) {
                Path temp = Files.createTempFile(target.getParent(), ".extract-", ".tmp");
                Files.write(temp, content);
                Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /**
     * Runs {@code npm ci} in {@code dir} unless the packages of its current lockfile are installed there already.
     * A marker holding the lockfile's hash says what was installed; a failed install leaves no marker.
     */
    private static void installOnce(Path dir) throws IOException {
        String lockHash = sha256(Files.readAllBytes(dir.resolve("package-lock.json")));
        Path marker = dir.resolve("node_modules/.camel-eliza-test-installed");
        if (Files.exists(marker) && Files.readString(marker).equals(lockHash)) {
            return;
        }
        npmCi(dir);
        Files.writeString(marker, lockHash);
    }

    private static void npmCi(Path dir) throws IOException {
        node(); // a clear message when Node is missing, before npm's
        String npm = setting("eliza.test.npm", "ELIZA_TEST_NPM");
        List<String> command = List.of(npm != null ? npm : "npm", "ci", "--no-audit", "--no-fund", "--omit=dev",
                "--loglevel=error");
        Path log = dir.resolve("npm-ci.log");
        System.out.println("[camel-eliza-test] Installing the pinned elizaOS server packages in " + dir
                           + " (npm ci, once; later runs reuse them)...");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("camel-eliza-test installs the elizaOS server with npm, but npm cannot be "
                                            + "run (" + e.getMessage() + "). Install Node.js 20+ with npm, or set "
                                            + "-Deliza.test.npm=/path/to/npm.",
                    e);
        }
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("npm ci in " + dir + " did not finish within 30 minutes; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing the Eliza test server", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + dir + " failed with exit code " + p.exitValue()
                                            + " (can this machine reach the npm registry?): " + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = ElizaTestHarness.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE_ROOT + file + " is missing from the camel-eliza-test jar");
            }
            return in.readAllBytes();
        }
    }

    private static Path cacheRoot() {
        String configured = setting("eliza.test.cache", "ELIZA_TEST_CACHE");
        return configured != null
                ? Paths.get(configured).toAbsolutePath()
                : Paths.get(System.getProperty("user.home"), ".cache", "camel-eliza-test");
    }

    /** What the installation depends on: the pinned packages of every server line. */
    private static String harnessHash() {
        try {
            ByteArrayOutputStream locks = new ByteArrayOutputStream();
            for (String file : FILES) {
                if (file.endsWith("package-lock.json")) {
                    locks.write(resource(file));
                }
            }
            return sha256(locks.toByteArray()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
