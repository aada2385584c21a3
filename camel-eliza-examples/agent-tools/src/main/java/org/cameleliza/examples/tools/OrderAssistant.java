package org.cameleliza.examples.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.RunScript;

/**
 * An order-status assistant: an elizaOS agent answers customers, calling two Camel routes as its tools over MCP
 * ({@link OrderAssistantRoutes}): {@code lookupOrder} reads the order from the shop's database (H2 here) and
 * {@code handOver} writes a ticket for the human desk into {@code <desk.dir>/tickets}. The desk answers with a file in
 * {@code <desk.dir>/replies}, which a route posts into the customer's conversation.
 * <p>
 * Without {@code -Deliza.url} it starts a local Eliza server (the test kit's, with a deterministic agent "Orders" that
 * calls the tools as a model would). With it, set {@code -Deliza.agentId} too, for an agent whose character lists the
 * MCP server {@code http://127.0.0.1:<tools.port>/mcp} (and the environment variable {@code ELIZA_API_KEY} if the
 * server wants a key). {@code -Dtools.port} (default 8765) is where the tools are served. It asks the sample
 * questions, drops the desk's sample reply, prints a summary and exits (status 1 when something is missing or
 * wrong); {@code -Dassistant.keepRunning=true} then keeps serving until Ctrl+C.
 */
public final class OrderAssistant implements AutoCloseable {

    static final String AGENT = "Orders";
    /** The customer of the demo: the key of her conversation with the agent. */
    static final String CUSTOMER = "ann";
    static final String REPLY_SAMPLE = "order-4711.txt";

    /** A question of the demo and what the local agent answers to it. */
    record Question(String text, String expected) {
    }

    static final List<Question> QUESTIONS = List.of(
            new Question("Where is my order 4711?",
                    "Order 4711 (a pair of hiking boots) is shipped, last update on 2025-06-02."),
            new Question("Where is my order 9999?", "orders/lookupOrder failed: There is no order 9999"),
            new Question("Please hand me over to a human about order 4711: my parcel is damaged",
                    "I have handed you over to our desk (ticket order-4711); a colleague will answer you here."));

    /**
     * The local agent. A real model picks a tool from its description; this one is told which message calls which
     * tool, and answers with exactly the tool's output. The hand-over rule comes first: its message names an order too.
     */
    static ElizaTestAgent agent(String toolsUrl) {
        return ElizaTestAgent.named(AGENT)
                .usingMcpServer("orders", toolsUrl)
                .callingTool("hand me over.*order\\s+#?(\\d+)\\W+(.+)", "orders", "handOver",
                        Map.of("orderId", "$1", "reason", "$2"))
                .callingTool("order\\s+#?(\\d+)", "orders", "lookupOrder", Map.of("orderId", "$1"))
                .otherwise("I can tell you where your order is, or hand you over to our desk.")
                .mcpTimeout(Duration.ofSeconds(30));
    }

    private final Settings settings;
    private final Main main = new Main();
    private final DeskLog deskLog = new DeskLog();
    private ProducerTemplate customer;

    private OrderAssistant(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        boolean local = settings.url() == null;
        int elizaPort = ElizaTestServer.freePort();
        if (local) {
            // the server's port and agent id are known now: the application is configured before the server runs
            settings = settings.withServer("http://127.0.0.1:" + elizaPort, ElizaTestAgent.idOf(AGENT));
        }
        ElizaTestServer server = null;
        Summary summary;
        // the tools first: the agent's MCP plugin connects when the agent starts, and sees every tool at once
        OrderAssistant assistant = OrderAssistant.start(settings);
        try {
            System.out.println("Tools lookupOrder and handOver are served at " + assistant.toolsUrl());
            if (local) {
                System.out.println("Starting a local Eliza server (@elizaos/server 1.7.2, deterministic agent '" + AGENT
                                   + "')...");
                server = ElizaTestServer.builder().port(elizaPort).agent(agent(assistant.toolsUrl())).build().start();
                System.out.println("Eliza server is up at " + server.url());
                assistant.awaitTools(Duration.ofSeconds(60));
            }
            summary = assistant.demo(local);
            System.out.println(summary);
            if (settings.keepRunning()) {
                System.out.println("Drop the desk's replies (order-<id>.txt) into "
                                   + settings.deskDir().resolve("replies") + "; Ctrl+C stops.");
                CountDownLatch forever = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
                forever.await();
            }
        } finally {
            assistant.close();
            if (server != null) {
                server.close();
            }
        }
        if (!summary.ok()) {
            System.exit(1);
        }
    }

    /** Creates the database and starts the routes: the tools are served once this returns. */
    static OrderAssistant start(Settings settings) throws Exception {
        OrderAssistant assistant = new OrderAssistant(settings);
        Main main = assistant.main;
        main.bind("orderDb", orderDatabase(settings.database()));
        main.bind("deskLog", assistant.deskLog);
        main.addInitialProperty("camel.main.name", "order-assistant");
        main.addInitialProperty("camel.component.eliza.url", settings.url());
        if (settings.apiKey() != null) {
            main.addInitialProperty("camel.component.eliza.api-key", settings.apiKey());
        }
        main.addInitialProperty("camel.component.eliza-tool.port", String.valueOf(settings.toolsPort()));
        main.addInitialProperty("eliza.agentId", settings.agentId());
        main.addInitialProperty("desk.dir", settings.deskDir().toString());
        main.configure().addRoutesBuilder(new OrderAssistantRoutes());
        Files.createDirectories(settings.deskDir().resolve("tickets"));
        Files.createDirectories(settings.deskDir().resolve("replies"));
        main.start();
        assistant.customer = main.getCamelContext().createProducerTemplate();
        return assistant;
    }

    /** The shop's database: an in-memory H2 database with the orders of db/data.sql. */
    static DataSource orderDatabase(String name) throws IOException, SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        // kept while the JVM runs, not only while a connection is open
        dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        try (Connection connection = dataSource.getConnection()) {
            for (String script : List.of("/db/schema.sql", "/db/data.sql")) {
                try (InputStream in = OrderAssistant.class.getResourceAsStream(script);
                     Reader reader = new InputStreamReader(Objects.requireNonNull(in, script),
                             StandardCharsets.UTF_8)) {
                    RunScript.execute(connection, reader);
                }
            }
        }
        return dataSource;
    }

    /** What the agent answered a customer, and the channel of her conversation (null answer: none, see error). */
    record Answer(String question, String text, String channelId, String error) {
    }

    /** Asks the agent as customer {@code customer}: each customer has a conversation (a channel) of her own. */
    Answer ask(String customer, String question) {
        String uri = "eliza:" + OrderAssistantRoutes.CUSTOMER_CHANNELS + "?agentId={{eliza.agentId}}&replyTimeout="
                     + settings.replyTimeout().toMillis();
        Exchange done = this.customer.send(uri, exchange -> {
            exchange.getMessage().setBody(question);
            exchange.getMessage().setHeader(ElizaConstants.CONVERSATION_KEY, customer);
        });
        if (done.getException() != null) {
            return new Answer(question, null, null, done.getException().getMessage());
        }
        return new Answer(question, done.getMessage().getBody(String.class),
                done.getMessage().getHeader(ElizaConstants.CHANNEL_ID, String.class), null);
    }

    /**
     * Waits until the local agent can call the tools. elizaOS's MCP plugin connects to the tool server in the
     * background once the agent has started, a moment after the server says it is up: until then the agent answers
     * that it has no such tool. Asked in a conversation of its own, so that the customers' ones stay clean.
     */
    void awaitTools(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer probe = ask("tools-check", "Is there an order 0?");
        while ((probe.text() == null || probe.text().contains("could not call tool")) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            probe = ask("tools-check", "Is there an order 0?");
        }
    }

    /**
     * The demo: the sample questions, the ticket they open, and the desk's reply in the customer's channel. The
     * answers are compared with the local agent's; an agent of your own ({@code checkAnswers} false) has its own words.
     */
    Summary demo(boolean checkAnswers) throws Exception {
        List<Answer> answers = new ArrayList<>();
        for (Question question : QUESTIONS) {
            System.out.println(CUSTOMER + ": " + question.text());
            Answer answer = ask(CUSTOMER, question.text());
            System.out.println(AGENT + ": " + (answer.text() != null ? answer.text() : "(no answer: " + answer.error()
                                               + ")"));
            answers.add(answer);
        }
        Path ticket = settings.deskDir().resolve("tickets").resolve(REPLY_SAMPLE);
        Optional<DeskLog.Delivery> delivery = Optional.empty();
        if (Files.exists(ticket)) {
            System.out.println("The desk's ticket " + ticket + ":\n"
                               + Files.readString(ticket).indent(2).stripTrailing());
            dropReply(settings.deskDir().resolve("replies"), REPLY_SAMPLE);
            delivery = awaitDelivery(REPLY_SAMPLE, settings.replyTimeout());
            if (delivery.isPresent()) {
                System.out.println("Desk, in " + CUSTOMER + "'s conversation: " + delivery.get().text().strip());
            }
        }
        return new Summary(checkAnswers ? QUESTIONS : List.of(), answers, Files.exists(ticket) ? ticket : null,
                delivery.orElse(null));
    }

    /** Drops the desk's sample reply, written beside the folder and moved in: the route never reads half a file. */
    private static void dropReply(Path replies, String name) throws IOException {
        try (InputStream in = OrderAssistant.class.getResourceAsStream("/samples/" + name)) {
            Path temp = Files.createTempFile(replies.getParent(), name, ".part");
            Files.copy(Objects.requireNonNull(in, name), temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, replies.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private Optional<DeskLog.Delivery> awaitDelivery(String file, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deskLog.delivery(file).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return deskLog.delivery(file);
    }

    DeskLog deskLog() {
        return deskLog;
    }

    Main main() {
        return main;
    }

    String toolsUrl() {
        return "http://127.0.0.1:" + settings.toolsPort() + "/mcp";
    }

    @Override
    public void close() {
        main.stop();
    }

    /** What a demo did. */
    record Summary(List<Question> expected, List<Answer> answers, Path ticket, DeskLog.Delivery reply) {

        /** Every question answered (as expected, for the local agent), the ticket written, the reply delivered. */
        boolean ok() {
            for (int i = 0; i < answers.size(); i++) {
                if (!answered(i)) {
                    return false;
                }
            }
            return ticket != null && reply != null && Objects.equals(reply.channelId(), answers.get(0).channelId());
        }

        private boolean answered(int i) {
            Answer answer = answers.get(i);
            return answer.text() != null
                   && (i >= expected.size() || Objects.equals(expected.get(i).expected(), answer.text()));
        }

        @Override
        public String toString() {
            List<String> lines = new ArrayList<>();
            lines.add("Order assistant: " + (ok() ? "OK" : "FAILED"));
            for (int i = 0; i < answers.size(); i++) {
                Answer a = answers.get(i);
                lines.add("  " + (answered(i) ? "ok       " : "WRONG    ") + a.question() + " -> "
                          + (a.text() != null ? a.text() : "no answer: " + a.error())
                          + (answered(i) || i >= expected.size()
                                  ? "" : " (expected: " + expected.get(i).expected() + ")"));
            }
            lines.add("  " + (ticket != null ? "ok       the desk's ticket: " + ticket : "MISSING  the desk's ticket"));
            lines.add("  " + (reply != null
                    ? "ok       the desk's reply " + reply.file() + " is message " + reply.messageId()
                      + " in the conversation of customer " + reply.customer() + " (channel " + reply.channelId() + ")"
                    : "MISSING  the desk's reply in the customer's conversation"));
            return String.join(System.lineSeparator(), lines);
        }
    }

    /** The assistant's settings, from system properties (see the class comment). */
    record Settings(String url, String agentId, String apiKey, int toolsPort, Path deskDir, String database,
            boolean keepRunning, Duration replyTimeout) {

        static Settings fromSystemProperties() {
            String url = blankToNull(System.getProperty("eliza.url"));
            String agentId = blankToNull(System.getProperty("eliza.agentId"));
            if (url != null && agentId == null) {
                throw new IllegalArgumentException("-Deliza.url is set: set -Deliza.agentId to the agent to ask too");
            }
            return new Settings(url, agentId, blankToNull(System.getenv("ELIZA_API_KEY")),
                    Integer.getInteger("tools.port", 8765),
                    Paths.get(System.getProperty("desk.dir", "desk")).toAbsolutePath(), "orders",
                    Boolean.parseBoolean(System.getProperty("assistant.keepRunning", "false")),
                    Duration.ofMillis(Long.getLong("assistant.replyTimeout", 60_000L)));
        }

        Settings withServer(String url, String agentId) {
            return new Settings(url, agentId, apiKey, toolsPort, deskDir, database, keepRunning, replyTimeout);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
