package org.cameleliza.examples.slack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.examples.slack.SlackStandIn.Post;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's messages of an Eliza room reach the Slack channel, through the incoming webhook or the Web API: a real
 * elizaOS server, the bridge application, and the Slack stand-in that records what Slack would have received.
 */
class AgentToSlackTest {

    private static final String TOKEN = "xoxb-1111-2222-agenttoslacktesttoken";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(
            ElizaTestAgent.named("Announcer").when("announce (.+)", "Attention <everyone>: $1"));

    @TempDir
    Path stateDir;

    private SlackStandIn slack;
    private LogCapture logs;
    private CamelContext roomUser;
    private ProducerTemplate roomUserSays;
    private String room;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        logs = LogCapture.start();
        slack = SlackStandIn.start(TOKEN, "agent");
        // a room of its own per test: what the agent said in an earlier test is not this test's business
        room = "announcements-" + test.getTestMethod().orElseThrow().getName();
        // another participant of the room, who asks the agent to announce things
        roomUser = new DefaultCamelContext();
        roomUser.getComponent("eliza", ElizaComponent.class).getConfiguration().setUrl(ELIZA.url());
        roomUser.start();
        roomUserSays = roomUser.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        roomUser.stop();
        slack.close();
        logs.close();
        String log = logs.text();
        assertThat(log).as("the capture works").contains("slack-bridge");
        assertThat(log).doesNotContain(TOKEN).doesNotContain(secretOf(slack.webhookUrl("agent")));
    }

    @Test
    void anAgentMessageGoesToSlackThroughTheWebhook() throws Exception {
        try (TestBridge bridge = TestBridge.start(viaWebhook())) {
            assertThat(announce("the release of 2.1")).isEqualTo("Attention <everyone>: the release of 2.1");

            await().atMost(PATIENCE).until(() -> !slack.posts().isEmpty());
            // the agent's message only, not the question it answered; escaped as Slack wants
            assertThat(slack.posts()).containsExactly(new Post("webhook", slack.channelId("agent"),
                    "Attention &lt;everyone&gt;: the release of 2.1", null));
            assertThat(slack.calls()).doesNotContain("chat.postMessage");
        }
    }

    @Test
    void anAgentMessageGoesToSlackThroughTheWebApi() throws Exception {
        try (TestBridge bridge = TestBridge.start(viaWebApi())) {
            announce("the release of 2.2");

            await().atMost(PATIENCE).until(() -> !slack.posts().isEmpty());
            // the stand-in takes nothing without the bot token: the post proves the token was presented
            assertThat(slack.posts()).containsExactly(new Post("chat.postMessage", slack.channelId("agent"),
                    "Attention &lt;everyone&gt;: the release of 2.2", null));
            assertThat(slack.calls()).doesNotContain("webhook");
        }
    }

    @Test
    void slackUnavailableForAWhileDelaysTheMessageButLosesNothing() throws Exception {
        slack.failNext("chat.postMessage", 2, 503);
        try (TestBridge bridge = TestBridge.start(viaWebApi())) {
            announce("maintenance tonight");

            await().atMost(PATIENCE).until(() -> !slack.posts().isEmpty());
            assertThat(slack.posts()).extracting(Post::text)
                    .containsExactly("Attention &lt;everyone&gt;: maintenance tonight");
            assertThat(slack.calls()).filteredOn("chat.postMessage"::equals).hasSize(3);
        }
    }

    @Test
    void aMessageTheWebApiRefusedOnceIsPostedOnTheNextTry() throws Exception {
        slack.refuseNext("chat.postMessage", 1, "internal_error");
        try (TestBridge bridge = TestBridge.start(viaWebApi())) {
            announce("a refused message");

            await().atMost(PATIENCE).until(() -> !slack.posts().isEmpty());
            assertThat(slack.posts()).extracting(Post::text)
                    .containsExactly("Attention &lt;everyone&gt;: a refused message");
            assertThat(slack.calls()).filteredOn("chat.postMessage"::equals).hasSize(2);
        }
    }

    @Test
    void whatTheAgentSaidWhileTheBridgeWasStoppedIsPostedWhenItStarts() throws Exception {
        try (TestBridge bridge = TestBridge.start(viaWebApi())) {
            announce("the first news");
            await().atMost(PATIENCE).until(() -> slack.posts().size() == 1);
        }
        // the agent answers while the bridge is down (the room user got the answer)...
        assertThat(announce("the second news")).isEqualTo("Attention <everyone>: the second news");

        try (TestBridge bridge = TestBridge.start(viaWebApi())) {
            // ...and Slack gets it once the bridge is back, and the first news not again
            await().atMost(PATIENCE).until(() -> slack.posts().size() >= 2);
            assertThat(slack.posts()).extracting(Post::text).containsExactly(
                    "Attention &lt;everyone&gt;: the first news", "Attention &lt;everyone&gt;: the second news");
        }
    }

    @Test
    void aMessageSlackRefusesIsLoggedWithItsText() throws Exception {
        Properties settings = viaWebhook();
        // a webhook that was revoked: Slack answers 404 no_service
        String revoked = slack.serverUrl() + "/services/T0STANDIN/B0STANDHOOK/revokedsecret0123456789";
        settings.setProperty("slack.webhook.secret", revoked);
        try (TestBridge bridge = TestBridge.start(settings)) {
            announce("a message nobody will see");

            await().atMost(PATIENCE).until(() -> logs.text().contains("Slack did not take the agent's message"));
            assertThat(logs.text())
                    .contains("no_service")
                    .contains("Attention &lt;everyone&gt;: a message nobody will see")
                    .doesNotContain(secretOf(revoked));
            assertThat(slack.posts()).isEmpty();
            // the first try and two redeliveries
            assertThat(slack.calls()).filteredOn("webhook"::equals).hasSize(3);
        }
    }

    /** Asks the agent, in the room, to announce something; returns once it answered. */
    private String announce(String news) {
        return roomUserSays.requestBody("eliza:" + room + "?agentId=" + ELIZA.agentId("Announcer"),
                "Please announce " + news, String.class);
    }

    private Properties viaWebApi() {
        Properties settings = TestBridge.settings(ELIZA.url(), ELIZA.agentId("Announcer"), slack, TOKEN, stateDir);
        settings.setProperty("bridge.room", room);
        return settings;
    }

    private Properties viaWebhook() {
        Properties settings = viaWebApi();
        // a webhook only: the bridge posts to Slack and reads nothing from it
        settings.setProperty("slack.token", "");
        settings.setProperty("slack.webhook.secret", slack.webhookUrl("agent"));
        return settings;
    }

    private static String secretOf(String webhookUrl) {
        return webhookUrl.substring(webhookUrl.lastIndexOf('/') + 1);
    }
}
