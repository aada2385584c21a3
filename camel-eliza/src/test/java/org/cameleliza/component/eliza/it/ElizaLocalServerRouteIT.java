package org.cameleliza.component.eliza.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.test.ElizaLocalServer;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user's first hour, as README.md tells it: the local server started with one command (the test kit's
 * {@code ElizaLocalServer}, here in a JVM of its own, with a file of answers) and a route of the user's own, with the
 * endpoint URI the server printed, gets the scripted answer.
 */
class ElizaLocalServerRouteIT {

    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process server;
    private CamelContext context;

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            // SIGTERM, as Ctrl+C: the server's JVM stops its Node process
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
        }
    }

    @Test
    void aRouteOfTheUsersOwnGetsTheScriptedAnswerFromTheLocalServer(@TempDir Path dir) throws Exception {
        Path answers = dir.resolve("answers.json");
        Files.writeString(answers, """
                {
                  "refund.*order (\\\\d+)": "Refund for order $1 is on its way",
                  "otherwise": "Ask me about a refund."
                }
                """);
        int port = ElizaTestServer.freePort();
        String classPath = Path.of(ElizaLocalServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, ElizaLocalServer.class.getName(), "--port", String.valueOf(port), "--answers",
                answers.toString()).redirectErrorStream(true);
        String harness = System.getProperty("eliza.testServer.dir");
        if (harness != null) {
            // this build's harness, whose packages are installed already (users' runs take it from the jar)
            command.environment().put("ELIZA_TEST_SERVER_DIR", harness);
        }
        server = command.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (Exception e) {
                // the process ended
            }
        }, "local-server-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofMinutes(5)).until(() -> !server.isAlive()
                || output.stream().anyMatch(line -> line.trim().startsWith("eliza:support?")));
        assertThat(server.isAlive()).as("the local server, which printed: %s", output).isTrue();
        String uri = output.stream().map(String::trim).filter(line -> line.startsWith("eliza:support?")).findFirst()
                .orElseThrow();

        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").to(uri + "&requestReply=true");
            }
        });
        context.start();
        Exchange reply = context.createProducerTemplate().request("direct:ask",
                e -> e.getMessage().setBody("Where is the refund for my order 4711?"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo("Refund for order 4711 is on its way");
    }
}
