package org.cameleliza.examples.jbang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the example's routes (routes/) with the Camel JBang CLI, in a process of its own, the way a user runs them:
 * {@code camel run <the folder's files> --dep=org.cameleliza:camel-eliza:<version>}, against a real Eliza server, and
 * checks from the CLI's output that the agent answered.
 * <p>
 * The {@code camel} command is Camel JBang's {@code CamelJBangMain}, started by src/test/jbang/main/CamelJBang.java
 * on the class path that {@code jbang camel@apache/camel} would resolve (computed by Maven into a file): only the
 * jbang launcher itself is missing, see docs/runtime-jbang.md. camel-eliza is not on that class path: the CLI resolves
 * it from the local Maven repository because of {@code --dep}, so {@code ./mvnw install} must have put the jar of this
 * build there (the test checks it).
 */
class CamelJbangIT {

    private static final long RUN_TIMEOUT_SECONDS = 180;
    /** the CLI's own limit: it stops after this even when the agent never answers */
    private static final int MAX_SECONDS = 120;
    /** the question (timer) and the agent's answer (consumer): then the CLI stops */
    private static final int MAX_MESSAGES = 2;

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Pattern ERROR_LINE = Pattern.compile("(?m)^\\S+ \\S+\\s+ERROR\\s");

    private static ElizaTestServer server;

    @BeforeAll
    static void startServer() {
        server = ElizaTestServer.builder().build().start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void camelRunAsksTheAgentAndLogsItsAnswer() throws Exception {
        String classpath = Files.readString(path("camelJbang.classpathFile")).trim();
        assertThat(classpath).as("the CLI's class path").contains("camel-jbang-core-").doesNotContain("camel-eliza");
        String version = property("camelJbang.elizaVersion");
        Path localRepository = path("camelJbang.localRepository");
        assertInstalledJarIsThisBuilds(localRepository, version);

        Path workDir = freshCopyOfRoutes();
        String question = "What can Camel do with Eliza? (" + UUID.randomUUID() + ")";

        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                // where `camel run` resolves --dep: the local repository of this build (~/.m2/repository
                // unless Maven was told otherwise)
                "-Dmaven.repo.local=" + localRepository,
                "-cp", classpath,
                path("camelJbang.launcher").toString(),
                "run"));
        command.addAll(filesOf(workDir)); // what `camel run *` passes
        command.addAll(List.of(
                "--dep=org.cameleliza:camel-eliza:" + version,
                "--prop=eliza.url=" + server.url(),
                "--prop=eliza.agentId=" + server.agent().id(),
                "--prop=eliza.question=" + question,
                "--max-messages=" + MAX_MESSAGES,
                "--max-seconds=" + MAX_SECONDS));

        Path log = workDir.resolveSibling("camel-jbang-run.log");
        System.out.println("Running in " + workDir + ": " + String.join(" ", command));
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exitCode;
        try {
            if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("camel run did not exit within " + RUN_TIMEOUT_SECONDS + " s; its output:\n" + output(log));
            }
            exitCode = process.exitValue();
        } finally {
            kill(process);
        }

        String output = output(log);
        System.out.println("camel run exited with " + exitCode + "; its output:\n" + output);
        assertThat(exitCode).as("exit code of camel run; output:\n%s", output).isZero();
        assertThat(output)
                .contains("Apache Camel (JBang) ")
                .contains("Asked the agent: " + question)
                .contains("The agent answered: " + ElizaTestServer.expectedReply(server.agent(), question))
                // it stopped because both messages were routed, not because time ran out
                .contains("Duration max messages triggering shutdown");
        assertThat(ERROR_LINE.matcher(output).find()).as("an ERROR line in the output:\n%s", output).isFalse();
    }

    /**
     * The CLI reads camel-eliza from the local repository, not from this build: make sure it is the same jar, so the
     * test never passes (or fails) on a stale one, e.g. after `./mvnw verify` without install.
     */
    private static void assertInstalledJarIsThisBuilds(Path localRepository, String version) throws IOException {
        Path installed = localRepository.resolve(Paths.get("org", "cameleliza", "camel-eliza", version,
                "camel-eliza-" + version + ".jar"));
        Path built = path("camelJbang.elizaJar");
        if (!Files.isRegularFile(installed)) {
            fail("camel run resolves camel-eliza from the local Maven repository, but " + installed
                 + " is missing: build with ./mvnw install");
        }
        if (Files.isRegularFile(built) && !sha256(built).equals(sha256(installed))) {
            fail("camel run resolves camel-eliza from the local Maven repository, but " + installed
                 + " is not the jar this build made (" + built + "): build with ./mvnw install");
        }
    }

    private static Path freshCopyOfRoutes() throws IOException {
        Path workDir = path("camelJbang.workDir");
        if (Files.exists(workDir)) {
            try (Stream<Path> all = Files.walk(workDir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(workDir);
        for (String name : filesOf(path("camelJbang.routesDir"))) {
            Files.copy(path("camelJbang.routesDir").resolve(name), workDir.resolve(name));
        }
        return workDir;
    }

    /** The names `*` expands to in a shell: the folder's files that are not hidden, sorted. */
    private static List<String> filesOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        }
    }

    private static void kill(Process process) {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String output(Path log) throws IOException {
        return Files.exists(log) ? ANSI.matcher(Files.readString(log, StandardCharsets.UTF_8)).replaceAll("") : "";
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path path(String property) {
        return Paths.get(property(property)).toAbsolutePath();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set: run this test with Maven"
                                            + " (./mvnw verify in camel-eliza-examples/jbang)");
        }
        return value;
    }
}
