package org.cameleliza.examples.slack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.cameleliza.examples.slack.SlackStandIn.Post;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Messages people write in Slack are asked to the agent and answered in Slack: camel-slack's consumer reads the
 * stand-in's channel, the agent of a real elizaOS server answers, camel-slack's producer posts the answer.
 */
class SlackToAgentTest {

    private static final String TOKEN = "xoxb-3333-4444-slacktoagenttesttoken";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String CANNOT_ANSWER = "Sorry, I cannot answer right now. Please ask again later.";

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(
            ElizaTestAgent.named("Support")
                    .when("refund", "Refunds take 5 days & cost nothing.")
                    .otherwise("I don't know <yet>."));

    @TempDir
    Path stateDir;

    private SlackStandIn slack;
    private LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.start();
        slack = SlackStandIn.start(TOKEN, "general", "agent");
    }

    @AfterEach
    void stop() {
        slack.close();
        logs.close();
        assertThat(logs.text()).as("the capture works").contains("slack-bridge");
        assertThat(logs.text()).doesNotContain(TOKEN);
    }

    @Test
    void aQuestionInSlackIsAnsweredInSlack() throws Exception {
        try (TestBridge bridge = startBridge(settings())) {
            slack.postAsUser("agent", "U0ALICE", "How long does a refund take?");

            await().atMost(PATIENCE).until(() -> !slack.posts().isEmpty());
            // addressed to who asked, escaped as Slack wants, in the channel the question came from
            assertThat(slack.posts()).containsExactly(new Post("chat.postMessage", slack.channelId("agent"),
                    "<@U0ALICE> Refunds take 5 days &amp; cost nothing.", null));
        }
    }

    @Test
    void theBridgeAsksNeitherItsOwnAnswersNorOtherApps() throws Exception {
        try (TestBridge bridge = startBridge(settings())) {
            slack.postAsUser("agent", "U0CAROL", "I want a refund");
            await().atMost(PATIENCE).until(() -> slack.posts().size() == 1);
            slack.postAsOtherApp("agent", "Build 42 passed");
            slack.postAsUser("agent", "U0CAROL", "What is the weather?");
            await().atMost(PATIENCE).until(() -> slack.posts().size() == 2);

            // once the consumer read the channel after the last answer and every exchange it started is done,
            // anything asked besides the two questions would have been answered
            int reads = historyReads();
            await().atMost(PATIENCE).until(() -> historyReads() >= reads + 2
                    && bridge.camel().getInflightRepository().size("slack-to-agent") == 0);
            assertThat(slack.posts()).extracting(Post::text).containsExactly(
                    "<@U0CAROL> Refunds take 5 days &amp; cost nothing.", "<@U0CAROL> I don't know &lt;yet&gt;.");
        }
    }

    @Test
    void aMessageWithoutTextGetsAnExplanation() throws Exception {
        try (TestBridge bridge = startBridge(settings())) {
            slack.postFileAsUser("agent", "U0DAVE");

            await().atMost(PATIENCE).until(() -> !slack.posts().isEmpty());
            assertThat(slack.posts()).extracting(Post::text)
                    .containsExactly("<@U0DAVE> I can only answer text messages.");
        }
    }

    @Test
    void whenTheAgentIsTooSlowThePersonIsToldAndTheOperatorToo() throws Exception {
        Properties settings = settings();
        settings.setProperty("bridge.replyTimeout", "2000");
        settings.setProperty("bridge.redeliveries", "0");
        try (TestBridge bridge = startBridge(settings)) {
            // the test agent thinks 10 s on this one
            slack.postAsUser("agent", "U0ERIN", "[slow:10000] Where is my refund?");

            await().atMost(PATIENCE).until(() -> !slack.posts().isEmpty());
            assertThat(slack.posts()).extracting(Post::text).containsExactly("<@U0ERIN> " + CANNOT_ANSWER);
            assertThat(logs.text()).contains("The agent did not answer U0ERIN")
                    .contains("[slow:10000] Where is my refund?");
        }
    }

    @Test
    void whenElizaIsDownThePersonIsToldAndTheOperatorToo() throws Exception {
        try (TestBridge bridge = startBridge(settings())) {
            ELIZA.server().stop();
            slack.postAsUser("agent", "U0FRANK", "Can I get a refund?");

            await().atMost(PATIENCE).until(() -> !slack.posts().isEmpty());
            assertThat(slack.posts()).extracting(Post::text).containsExactly("<@U0FRANK> " + CANNOT_ANSWER);
            assertThat(logs.text()).contains("The agent did not answer U0FRANK");
        } finally {
            ELIZA.server().start();
        }
    }

    @Test
    void aUserTokenIsRefusedAtStart() {
        Properties settings = settings();
        settings.setProperty("slack.token", "xoxp-5555-6666-usertoken");

        Throwable refusal = catchThrowable(() -> TestBridge.start(settings).close());
        while (refusal != null && refusal.getCause() != null) {
            refusal = refusal.getCause();
        }
        assertThat(refusal).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user token").hasMessageNotContaining("5555-6666");
        assertThat(logs.text()).doesNotContain("xoxp-5555-6666-usertoken");
    }

    /** Starts the bridge and waits for its first read of the channel, which takes only the newest message. */
    private TestBridge startBridge(Properties settings) throws Exception {
        TestBridge bridge = TestBridge.start(settings);
        try {
            slack.awaitCall("conversations.history", PATIENCE);
        } catch (RuntimeException | InterruptedException e) {
            bridge.close();
            throw e;
        }
        return bridge;
    }

    private int historyReads() {
        return (int) slack.calls().stream().filter("conversations.history"::equals).count();
    }

    private Properties settings() {
        Properties settings = TestBridge.settings(ELIZA.url(), ELIZA.agentId("Support"), slack, TOKEN, stateDir);
        settings.setProperty("slack.channel", "agent");
        return settings;
    }
}
