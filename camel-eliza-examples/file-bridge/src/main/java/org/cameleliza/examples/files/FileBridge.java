package org.cameleliza.examples.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.apache.camel.main.Main;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;

/**
 * The README's main job: a drop-folder bridge to an elizaOS agent. Question files dropped into
 * {@code <bridge.dir>/inbox} are asked to the agent and its answers written to {@code <bridge.dir>/answers}.
 * <p>
 * Without {@code -Deliza.url} it starts a local Eliza server (the test kit's, with a deterministic agent
 * "Helpdesk"); with it, set {@code -Deliza.agentId} too (and the environment variable {@code ELIZA_API_KEY} if the
 * server wants a key: not a system property, which {@code ps} shows to everyone). By
 * default it drops the sample questions it ships with, waits until each is answered or failed, prints a summary and
 * exits (status 1 if a question failed); {@code -Dbridge.keepRunning=true} keeps watching the inbox until Ctrl+C.
 * {@code -Dbridge.routes=java} runs the Java DSL route instead of the YAML one (they are the same route).
 */
public final class FileBridge {

    static final List<String> SAMPLES = List.of("opening-hours.txt", "refund-4711.txt", "camel.txt");

    /** The local agent: answers the sample questions like a helpdesk would. */
    static final ElizaTestAgent HELPDESK = ElizaTestAgent.named("Helpdesk")
            .when("opening hours", "We are open Monday to Friday, 9:00 to 17:00.")
            .when("refund for order (\\d+)", "The refund for order $1 was sent on Monday; expect it within 5 days.")
            .when("camel", "Yes: with camel-eliza an elizaOS agent is an endpoint of any Camel route.")
            .otherwise("I don't know yet; a colleague will answer you.");

    private FileBridge() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        ElizaTestServer server = null;
        if (settings.url == null) {
            System.out.println("Starting a local Eliza server (@elizaos/server 1.7.2, deterministic agent 'Helpdesk')...");
            server = ElizaTestServer.builder().agent(HELPDESK).build().start();
            settings = settings.withServer(server.url(), server.agent().id());
            System.out.println("Eliza server is up at " + server.url());
        }
        Summary summary;
        try {
            summary = run(settings);
        } finally {
            if (server != null) {
                server.close();
            }
        }
        System.out.println(summary);
        if (!summary.failed().isEmpty() || summary.answers().size() < summary.questions()) {
            System.exit(1);
        }
    }

    /** Runs the bridge until the questions dropped at start are answered or failed (or forever, if asked). */
    static Summary run(Settings settings) throws Exception {
        Path inbox = settings.dir.resolve("inbox");
        Path outbox = settings.dir.resolve("answers");
        Files.createDirectories(inbox);
        Files.createDirectories(outbox);
        if (settings.samples) {
            dropSamples(inbox);
        }
        int questions = listTxt(inbox).size();

        BridgeSummary answers = new BridgeSummary();
        Main main = new Main();
        main.bind("bridgeSummary", answers);
        main.addInitialProperty("camel.main.name", "eliza-file-bridge");
        main.addInitialProperty("camel.component.eliza.url", settings.url);
        if (settings.apiKey != null) {
            main.addInitialProperty("camel.component.eliza.api-key", settings.apiKey);
        }
        main.addInitialProperty("eliza.agentId", settings.agentId);
        main.addInitialProperty("bridge.inbox", inbox.toString());
        main.addInitialProperty("bridge.outbox", outbox.toString());
        main.addInitialProperty("bridge.replyTimeout", String.valueOf(settings.replyTimeout.toMillis()));
        if ("java".equals(settings.routes)) {
            main.configure().addRoutesBuilder(new FileBridgeRoutes());
        } else {
            main.addInitialProperty("camel.main.routesIncludePattern", "classpath:routes/file-bridge.camel.yaml");
        }
        System.out.println("Watching " + inbox + " (" + settings.routes + " route); answers go to " + outbox);
        main.start();
        try {
            if (settings.keepRunning) {
                System.out.println("Drop question files (*.txt) into " + inbox + "; Ctrl+C stops.");
                CountDownLatch forever = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
                forever.await();
            } else {
                awaitDone(inbox, settings.timeout);
            }
        } finally {
            main.stop();
        }
        return new Summary(questions, answers.answers(), listTxt(inbox.resolve(".failed")), listTxt(inbox), outbox);
    }

    private static void dropSamples(Path inbox) throws IOException {
        for (String sample : SAMPLES) {
            try (InputStream in = FileBridge.class.getResourceAsStream("/samples/" + sample)) {
                // written beside the inbox, then moved in: the route never reads half a file
                Path temp = Files.createTempFile(inbox.getParent(), sample, ".part");
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, inbox.resolve(sample), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** Done when no question is left in the inbox: each was moved to .done (answered) or .failed. */
    private static void awaitDone(Path inbox, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!listTxt(inbox).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    static List<String> listTxt(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).sorted().toList();
        }
    }

    /** What a run did. */
    record Summary(int questions, List<BridgeSummary.Answer> answers, List<String> failed, List<String> pending,
            Path outbox) {

        @Override
        public String toString() {
            List<String> lines = new ArrayList<>();
            lines.add("File bridge: " + answers.size() + " answered, " + failed.size() + " failed"
                      + (pending.isEmpty() ? "" : ", " + pending.size() + " not done in time " + pending));
            for (BridgeSummary.Answer a : answers) {
                lines.add("  " + a.file() + " -> " + outbox.resolve(a.file().replaceFirst("\\.txt$", ".answer.txt"))
                          + ": " + a.answer());
            }
            failed.forEach(f -> lines.add("  " + f + " FAILED (moved to inbox/.failed; the log says why)"));
            return String.join(System.lineSeparator(), lines);
        }
    }

    /** The bridge's settings, from system properties (see the class comment). */
    record Settings(String url, String agentId, String apiKey, Path dir, String routes, boolean keepRunning,
            boolean samples, Duration replyTimeout, Duration timeout) {

        static Settings fromSystemProperties() {
            String url = blankToNull(System.getProperty("eliza.url"));
            String agentId = blankToNull(System.getProperty("eliza.agentId"));
            if (url != null && agentId == null) {
                throw new IllegalArgumentException("-Deliza.url is set: set -Deliza.agentId to the agent to ask too");
            }
            String routes = System.getProperty("bridge.routes", "yaml");
            if (!routes.equals("yaml") && !routes.equals("java")) {
                throw new IllegalArgumentException("-Dbridge.routes must be yaml or java, not '" + routes + "'");
            }
            boolean keepRunning = Boolean.parseBoolean(System.getProperty("bridge.keepRunning", "false"));
            return new Settings(url, agentId, blankToNull(System.getenv("ELIZA_API_KEY")),
                    Paths.get(System.getProperty("bridge.dir", "file-bridge")).toAbsolutePath(), routes, keepRunning,
                    Boolean.parseBoolean(System.getProperty("bridge.samples", "true")),
                    Duration.ofMillis(Long.getLong("bridge.replyTimeout", 60_000L)),
                    Duration.ofSeconds(Long.getLong("bridge.timeoutSeconds", 180L)));
        }

        Settings withServer(String url, String agentId) {
            return new Settings(url, agentId, apiKey, dir, routes, keepRunning, samples, replyTimeout, timeout);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
