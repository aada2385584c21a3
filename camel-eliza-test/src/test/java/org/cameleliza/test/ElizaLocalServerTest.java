package org.cameleliza.test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.cameleliza.test.ElizaLocalServer.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local server's command line, and what it says before it starts a server (no Node needed). */
class ElizaLocalServerTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ElizaLocalServer.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void withoutOptionsOneEchoAgentOnPort3000() {
        assertThat(Options.parse()).isEqualTo(new Options(3000, null, 1, null, null, "1.7", false));
    }

    @Test
    void everyOptionTakesItsValueNextOrAfterAnEqualsSign() {
        assertThat(Options.parse("--port", "3999", "--answers", "a.json", "--agents=2", "--api-key", "k=1",
                "--data-dir=data", "--line", "1.4"))
                .isEqualTo(new Options(3999, Paths.get("a.json"), 2, "k=1", Paths.get("data"), "1.4", false));
        assertThat(Options.parse("--port=0").port()).isZero();
        assertThat(Options.parse("--agents", "0").agents()).isZero();
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertBad("Unknown option '--prot'; the options are --port, --answers, --agents, --api-key, --data-dir, "
                  + "--line and --help", "--prot", "3000");
        assertBad("Unknown option 'answers.json'", "answers.json");
        assertBad("--port needs a value", "--port");
        assertBad("--port needs a value", "--port", "--agents", "1");
        assertBad("--port must be a whole number from 0 to 65535, got 'abc'", "--port", "abc");
        assertBad("--port must be a whole number from 0 to 65535, got '70000'", "--port=70000");
        assertBad("--agents must be a whole number from 0 to 2, got '3'", "--agents", "3");
        assertBad("--api-key needs a value", "--api-key=");
        assertBad("--answers needs an agent to answer: --agents 1 or 2", "--answers", "a.json", "--agents", "0");
    }

    private static void assertBad(String message, String... args) {
        assertThatThrownBy(() -> Options.parse(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void helpPrintsTheOptionsAndAnExampleAnswersFile() {
        assertThat(run("--port", "1", "--help")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("Usage: java -jar camel-eliza-test-<version>.jar [options]")
                .contains("--port N", "--answers FILE", "--agents N", "--api-key KEY", "--data-dir DIR", "--line L",
                        "\"refund.*order (\\\\d+)\": \"Refund for order $1 is on its way.\"",
                        "Node.js 20+", "b850bc30-45f8-0041-a00a-83df46d8555d");
        assertThat(err.size()).isZero();
    }

    @Test
    void aBadOptionExitsWith2AndPointsToHelp() {
        assertThat(run("--agents", "x")).isEqualTo(ElizaLocalServer.USAGE_ERROR);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "Error: --agents must be a whole number from 0 to 2, got 'x'\n"
                + "(java -jar camel-eliza-test-<version>.jar --help for the options)\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void aBadAnswersFileExitsWith2NamingTheFileAndLineBeforeAnyServerStarts(@TempDir Path dir) throws Exception {
        Path answers = dir.resolve("answers.json");
        Files.writeString(answers, "{\n  \"refund (\": \"x\"\n}\n");

        assertThat(run("--answers", answers.toString())).isEqualTo(ElizaLocalServer.USAGE_ERROR);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("Error: " + answers + ", line 2: the pattern \"refund (\" is not a regular expression");
        assertThat(run("--answers", dir.resolve("none.json").toString())).isEqualTo(ElizaLocalServer.USAGE_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(dir.resolve("none.json") + " does not exist");
        assertThat(out.size()).isZero();
    }

    @Test
    void anUnknownLineIsNamed() {
        assertThat(run("--line", "2.0")).isEqualTo(ElizaLocalServer.USAGE_ERROR);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No elizaOS line '2.0' in the test harness");
    }

    @Test
    void aPortInUseIsSaidBeforeNodeStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(run("--port", String.valueOf(taken.getLocalPort()))).isEqualTo(ElizaLocalServer.SERVER_ERROR);

            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                    "Error: port " + taken.getLocalPort() + " on 127.0.0.1 is in use (another Eliza server?); "
                    + "choose another with --port, or --port 0 for any free one\n");
        }
    }
}
