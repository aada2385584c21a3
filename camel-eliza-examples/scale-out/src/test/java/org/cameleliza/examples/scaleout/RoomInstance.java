package org.cameleliza.examples.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * One instance of the room application in a JVM of its own, as it runs in production: started with the application's
 * runtime classpath (written by the build), its output in a log file. It stops when the process that started it ends,
 * even a killed one (its standard input closes), so none outlives a test or the demo.
 */
final class RoomInstance implements AutoCloseable {

    /**
     * What camel-master's MasterConsumer logs once this instance leads and the Eliza consumer started (joined the
     * room): from then on the instance delivers. (Camel 4.17: "Leadership taken. Attempt #1 success. Consumer
     * started: ..."; other versions word it slightly differently.)
     */
    static final Pattern LEADERSHIP_TAKEN = Pattern.compile("Leadership taken.*[Cc]onsumer started");

    private final String name;
    private final Process process;
    private final Path log;

    private RoomInstance(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts an instance named {@code name} with the given application properties (-D overrides). */
    static RoomInstance start(String name, Path workDir, Map<String, String> properties) throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("instance-" + name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(applicationClasspath());
        command.add("-Dapp.instance=" + name);
        command.add("-D" + ElizaRoomApplication.EXIT_WITH_PARENT + "=true");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(ElizaRoomApplication.class.getName());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new RoomInstance(name, process, log);
    }

    /** The application's runtime classpath: its classes and the jars the build listed (no test jar). */
    private static String applicationClasspath() throws IOException {
        String classes = required("app.classes.dir");
        String jars = Files.readString(Path.of(required("app.classpath.file")), StandardCharsets.UTF_8).trim();
        return classes + java.io.File.pathSeparator + jars;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: run this through Maven"
                                            + " (mvn verify, or -Prun package), which sets it");
        }
        return value;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return log;
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean logContains(String text) {
        return log().contains(text);
    }

    /** Whether this instance led (and started the Eliza consumer) at some point. */
    boolean hasLed() {
        return LEADERSHIP_TAKEN.matcher(log()).find();
    }

    /** Waits until this instance leads; fails with the log's end when it does not within {@code timeout}. */
    void awaitLeadership(Duration timeout) throws InterruptedException {
        awaitLog("leadership", this::hasLed, timeout);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the log shows {@code text}; fails with the log's end when it does not within {@code timeout}. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
        awaitLog("'" + text + "'", () -> logContains(text), timeout);
    }

    private void awaitLog(String what, BooleanSupplier logged, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logged.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("Instance " + name + " exited (" + process.exitValue() + ") before logging "
                                         + what + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Instance " + name + " did not log " + what + " within " + timeout + ":\n"
                                         + tail());
            }
            Thread.sleep(100);
        }
    }

    /** Graceful stop: SIGTERM, on which Camel Main shuts down (routes first, then the cluster service). */
    void stop() {
        process.destroy();
    }

    /** A crash: SIGKILL, nothing of the instance runs after it, no shutdown hook. Returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Waits for the process to end; fails when it does not within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Instance " + name + " did not exit within " + timeout + ":\n" + tail());
        }
        return process.exitValue();
    }

    String tail() {
        String text = log();
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    }

    /** Whatever happened: no instance is left running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "instance " + name + " (pid " + process.pid() + ")";
    }
}
