package org.cameleliza.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local server as a user runs it, {@code java -jar camel-eliza-test-<version>.jar --port N --answers FILE}: with the
 * jar alone on its class path (so nothing of JUnit), its agent answers from the file over the server's REST API (a
 * session with the agent, and a message whose response carries the answer), and SIGTERM, which shuts the JVM down as
 * Ctrl+C does, stops the Node server and deletes its temporary data. (SIGINT itself is not sent: a JVM started in the
 * background of a non-interactive shell, as a CI job may be, inherits SIGINT ignored, and so would ours.)
 */
class ElizaLocalServerIT {

    private static final String ECHO_ID = ElizaTestServer.KNOWN_AGENTS.get(0).id();
    private static final Pattern SESSION_ID = Pattern.compile("\"sessionId\":\"([0-9a-f-]{36})\"");
    private static final Pattern AGENT_TEXT = Pattern.compile("\"agentResponse\":\\{.*?\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    // HTTP/1.1: the h2c upgrade of the default HTTP/2 goes to Socket.IO, which drops a connection not its own
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process jvm;
    private Thread reader;

    @AfterEach
    void killWhatIsLeft() {
        if (jvm != null && jvm.isAlive()) {
            jvm.descendants().forEach(ProcessHandle::destroyForcibly);
            jvm.destroyForcibly();
        }
    }

    @Test
    void theJarStartsAServerWhoseAgentAnswersFromTheFileUntilItIsStopped(@TempDir Path dir) throws Exception {
        Path answers = dir.resolve("answers.json");
        Files.writeString(answers, """
                {
                  "refund.*order (\\\\d+)": "Refund for order $1 is on its way",
                  "otherwise": "Ask me about a refund."
                }
                """);
        int port = ElizaTestServer.freePort();
        String url = "http://127.0.0.1:" + port;

        startJar("--port", String.valueOf(port), "--answers", answers.toString());

        assertThat(output).contains(
                "Eliza server running at " + url + " (elizaOS 1.7)",
                "  agent Echo " + ECHO_ID + ": answers from " + answers + ": 1 pattern, otherwise \"Ask me about a "
                + "refund.\"",
                "  eliza:support?url=" + url + "&agentId=" + ECHO_ID);
        assertThat(ask(url, "Where is the refund for my order 4711?")).isEqualTo("Refund for order 4711 is on its way");
        assertThat(ask(url, "Hello")).isEqualTo("Ask me about a refund.");

        List<ProcessHandle> node = jvm.descendants().toList();
        assertThat(node).as("the Node server, a child of the JVM").isNotEmpty();
        Path data = Paths.get(line("Data: ").replaceFirst("^Data: (.*) \\(deleted when the server stops\\)$", "$1"));
        assertThat(data).isDirectory();

        // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl+C (the handle's, not Process.destroy(), which would
        // close the pipe of its output before its last lines are read)
        assertThat(jvm.toHandle().destroy()).isTrue();

        assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).as("the JVM ended").isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(30)); // its last lines, up to the end of its output
        await().atMost(Duration.ofSeconds(60)).until(() -> node.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(output).contains("Eliza server stopped.");
        assertThat(data).doesNotExist();
    }

    @Test
    void aBadAnswersFileIsNamedAndNoServerStarts(@TempDir Path dir) throws Exception {
        Path answers = dir.resolve("answers.json");
        Files.writeString(answers, "{\n  \"order (\\d+)\": \"Order $1\"\n}\n");

        List<String> command = javaJar("--port", "0", "--answers", answers.toString());
        jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jvm.exitValue()).isEqualTo(ElizaLocalServer.USAGE_ERROR);
        assertThat(said).startsWith("Error: " + answers + ", line 2, column 11: \\d is not an escape of JSON");
    }

    private List<String> javaJar(String... args) {
        String jar = System.getProperty("eliza.localServer.jar");
        assertThat(jar).as("the jar to test (-Deliza.localServer.jar, set by this module's pom)").isNotNull();
        assertThat(Paths.get(jar)).as("the jar, built before the integration tests").isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        if (System.getProperty("eliza.testServer.dir") != null) {
            // this build's harness checkout, installed by npm ci, instead of an install into the user's cache
            command.add("-Deliza.testServer.dir=" + System.getProperty("eliza.testServer.dir"));
        }
        command.addAll(List.of("-jar", jar));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the jar and waits for its "Ctrl+C stops the server." line, collecting its output. */
    private void startJar(String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaJar(args)).redirectErrorStream(true);
        builder.environment().remove("CLASSPATH"); // java -jar ignores it anyway: the jar alone
        jvm = builder.start();
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                output.add("(output ended: " + e + ")");
            }
        }, "local-server-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofMinutes(5)).until(() -> output.contains("Ctrl+C stops the server.") || !jvm.isAlive());
        assertThat(output).as("the server started; its output was %s", output).contains("Ctrl+C stops the server.");
    }

    private String line(String prefix) {
        return output.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("No line starting with '" + prefix + "' in " + output));
    }

    /**
     * Asks the agent over REST, as the docs show with curl: a session with it, then a message with transport "http",
     * whose response carries the agent's answer.
     */
    private String ask(String url, String question) throws Exception {
        String session = post(url + "/api/messaging/sessions",
                "{\"agentId\":\"" + ECHO_ID + "\",\"userId\":\"" + UUID.randomUUID() + "\"}");
        String answered = post(url + "/api/messaging/sessions/" + group(SESSION_ID, session) + "/messages",
                "{\"content\":\"" + question + "\",\"transport\":\"http\"}");
        return group(AGENT_TEXT, answered);
    }

    private String post(String url, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", url, response.body()).isEqualTo(201);
        return response.body();
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }
}
