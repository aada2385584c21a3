package org.cameleliza.examples.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order-status assistant against a real Eliza server whose agent calls the tool routes as the one the command
 * starts: the order read from the database, an unknown order, the hand-over ticket and the desk's reply in the
 * customer's conversation. Each test talks as a customer of its own (each has a conversation of her own).
 */
class AgentToolsTest {

    private static final int TOOLS_PORT = ElizaTestServer.freePort();
    private static final int ELIZA_PORT = ElizaTestServer.freePort();

    @TempDir
    static Path desk;

    private static OrderAssistant assistant;
    private static ElizaTestServer eliza;

    /** The application first, then the server: the agent's MCP plugin finds the tools when it connects. */
    @BeforeAll
    static void startTheAssistantThenEliza() throws Exception {
        assistant = OrderAssistant.start(new OrderAssistant.Settings("http://127.0.0.1:" + ELIZA_PORT,
                ElizaTestAgent.idOf(OrderAssistant.AGENT), null, TOOLS_PORT, desk, "orders-test", false,
                Duration.ofSeconds(60)));
        eliza = ElizaTestServer.builder()
                .port(ELIZA_PORT)
                .logFile(Paths.get("target", "eliza-server-logs", "agent-tools.log"))
                .agent(OrderAssistant.agent(assistant.toolsUrl()))
                .build().start();
        assistant.awaitTools(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopAll() {
        if (assistant != null) {
            assistant.close();
        }
        if (eliza != null) {
            eliza.close();
        }
    }

    @Test
    void theDemoGetsTheExpectedAnswersTheTicketAndTheDesksReply() throws Exception {
        OrderAssistant.Summary summary = assistant.demo(true);

        assertThat(summary.ok()).as(summary.toString()).isTrue();
        assertThat(summary.answers()).extracting(OrderAssistant.Answer::text)
                .containsExactlyElementsOf(
                        OrderAssistant.QUESTIONS.stream().map(OrderAssistant.Question::expected).toList());
        assertThat(summary.reply().customer()).isEqualTo(OrderAssistant.CUSTOMER);
        assertThat(summary.toString()).startsWith("Order assistant: OK");
    }

    @Test
    void theAnswerToAnOrderQuestionIsTheStatusInTheDatabase() throws Exception {
        // changed behind the assistant's back: the tool reads the database when the agent calls it
        try (Connection connection = database().getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update orders set status = 'back at our warehouse' where id = '4713'")) {
            update.executeUpdate();
        }

        assertThat(assistant.ask("bob", "Hi, where is my order 4713?").text())
                .isEqualTo("Order 4713 (a camping stove) is back at our warehouse, last update on 2025-05-28.");
    }

    @Test
    void anUnknownOrderIsAToolErrorTheAgentPassesOn() {
        assertThat(assistant.ask("bob", "Where is my order 1234?").text())
                .isEqualTo("orders/lookupOrder failed: There is no order 1234");
        assertThat(assistant.ask("bob", "Please hand me over to a human about order 1234: it never came").text())
                .isEqualTo("orders/handOver failed: There is no order 1234");
    }

    @Test
    void theHandOverWritesATicketIntoTheDesksQueue() throws Exception {
        assertThat(assistant.ask("cleo", "Please hand me over to a human about order 4714: the zip is broken").text())
                .isEqualTo("I have handed you over to our desk (ticket order-4714); a colleague will answer you here.");

        assertThat(Files.readString(desk.resolve("tickets/order-4714.txt"))).isEqualTo("""
                Order: 4714
                Customer: cleo
                Reason: the zip is broken
                Reply: write your answer into replies/order-4714.txt""");
    }

    @Test
    void aReplyOfTheDeskArrivesInTheCustomersConversation() throws Exception {
        // dan's conversation, opened by his question; a consumer of its channel sees what is posted there
        OrderAssistant.Answer answer = assistant.ask("dan", "Where is my order 4715?");
        assertThat(answer.text()).isEqualTo("Order 4715 (a head torch) is delivered, last update on 2025-05-30.");
        String channelId = answer.channelId();
        List<String> posted = new CopyOnWriteArrayList<>();
        CamelContext camel = assistant.main().getCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the desk posts as this application's entity: its own messages are delivered too
                from("eliza:" + channelId + "?includeOwnMessages=true").routeId("dans-conversation")
                        .process(e -> posted.add(e.getMessage().getHeader(ElizaConstants.SENDER_NAME, String.class)
                                                 + ": " + e.getMessage().getBody(String.class)));
            }
        });

        Path temp = Files.writeString(desk.resolve("order-4715.part"), "Hello Dan, the desk here: all is well.");
        Files.move(temp, desk.resolve("replies/order-4715.txt"));

        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> posted.contains("Desk: Hello Dan, the desk here: all is well."));
        // the desk's log is written once the server acknowledged the post, which comes after its broadcast
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> assistant.deskLog().delivery("order-4715.txt").isPresent());
        assertThat(assistant.deskLog().delivery("order-4715.txt")).hasValueSatisfying(delivery -> {
            assertThat(delivery.customer()).isEqualTo("dan");
            assertThat(delivery.channelId()).isEqualTo(channelId);
        });
        camel.getRouteController().stopRoute("dans-conversation");
    }

    @Test
    void aReplyForAnOrderThatDoesNotExistIsMovedToFailed() throws Exception {
        Path temp = Files.writeString(desk.resolve("order-31.part"), "Hello?");
        Files.move(temp, desk.resolve("replies/order-31.txt"));

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(desk.resolve("replies/.failed/order-31.txt")));
        assertThat(assistant.deskLog().delivery("order-31.txt")).isEmpty();
    }

    private static DataSource database() {
        return assistant.main().getCamelContext().getRegistry().lookupByNameAndType("orderDb", DataSource.class);
    }
}
