package org.cameleliza.examples.slack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameleliza.component.eliza.ElizaComponent;
import org.cameleliza.examples.slack.SlackStandIn.Post;
import org.cameleliza.test.ElizaTestAgent;
import org.cameleliza.test.ElizaTestServer;

/**
 * The demo, one command: starts a local Eliza server with a deterministic agent (unless -Deliza.url and
 * -Deliza.agentId name a server of your own) and the Slack stand-in, runs the bridge against them (the agent's room
 * messages through the channel's incoming webhook, the answers to Slack users through the Web API), lets a room
 * participant and two Slack users talk to the agent, prints what Slack received and exits.
 */
public final class SlackBridgeDemo {

    private static final String TOKEN = "xoxb-0000-0000-demotoken";
    private static final int EXPECTED_POSTS = 3;

    private SlackBridgeDemo() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getProperty("eliza.url");
        String agentId = System.getProperty("eliza.agentId");
        ElizaTestServer server = null;
        if (url == null) {
            System.out.println("Starting a local Eliza server (@elizaos/server 1.7.2, agent 'Concierge', no LLM)...");
            server = ElizaTestServer.builder()
                    .agent(ElizaTestAgent.named("Concierge")
                            .when("announce (.+)", "Attention everyone: $1")
                            .when("refund", "Refunds take 5 days.")
                            .when("open", "We are open from 9 to 5."))
                    .build().start();
            url = server.url();
            agentId = server.agent("Concierge").id();
        }
        List<Post> posts;
        try (SlackStandIn slack = SlackStandIn.start(TOKEN, "agent")) {
            System.out.println("Slack stand-in is up at " + slack.serverUrl() + " (channel #agent)");
            posts = talk(url, agentId, slack);
        } finally {
            if (server != null) {
                server.stop();
            }
        }
        System.out.println("Slack #agent received:");
        posts.forEach(p -> System.out.println("  via " + p.via() + ": " + p.text()));
        if (posts.size() < EXPECTED_POSTS) {
            throw new IllegalStateException("Demo FAILED: Slack received " + posts.size() + " of " + EXPECTED_POSTS
                                            + " messages within 90 s");
        }
        System.out.println("Demo finished: the agent's announcement and both answers reached Slack.");
    }

    private static List<Post> talk(String url, String agentId, SlackStandIn slack) throws Exception {
        Path stateDir = Files.createTempDirectory("slack-bridge-state");
        Properties settings = TestBridge.settings(url, agentId, slack, TOKEN, stateDir);
        settings.setProperty("slack.webhook.secret", slack.webhookUrl("agent"));
        settings.setProperty("slack.pollDelay", "1000");
        CamelContext roomUser = new DefaultCamelContext();
        try (TestBridge bridge = TestBridge.start(settings)) {
            // camel-slack's first read of the channel takes only its newest message: let it happen first
            slack.awaitCall("conversations.history", Duration.ofSeconds(30));
            roomUser.getComponent("eliza", ElizaComponent.class).getConfiguration().setUrl(url);
            roomUser.start();
            roomUser.createProducerTemplate()
                    .sendBody("eliza:announcements?agentId=" + agentId + "&requestReply=false",
                            "Please announce the release of 2.1");
            slack.postAsUser("agent", "U0ALICE", "How long does a refund take?");
            slack.postAsUser("agent", "U0BOB", "When are you open?");
            return slack.awaitPosts(EXPECTED_POSTS, Duration.ofSeconds(90));
        } finally {
            roomUser.stop();
        }
    }
}
