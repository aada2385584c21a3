package org.cameleliza.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.main.Main;
import org.cameleliza.test.ElizaTestServer;

/**
 * The demo: starts a local elizaOS server with a deterministic agent (unless -Deliza.url points to a server of your
 * own, then set -Deliza.agentId too), runs the routes of routes/ask-agent.camel.yaml against it, and exits once the
 * agent answered all three questions.
 */
public final class ElizaDemo {

    private static final int QUESTIONS = 3;

    private ElizaDemo() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getProperty("eliza.url");
        String agentId = System.getProperty("eliza.agentId");
        ElizaTestServer server = null;
        if (url == null) {
            System.out.println("Starting a local Eliza server (@elizaos/server 1.7.2, deterministic agent 'Echo')...");
            server = ElizaTestServer.builder().build().start();
            url = server.url();
            agentId = server.agent().id();
            System.out.println("Eliza server is up at " + url + " (log: " + server.logFile() + ")");
        }
        boolean answered;
        try {
            answered = runRoutes(url, agentId);
        } finally {
            if (server != null) {
                server.stop();
            }
        }
        if (!answered) {
            throw new IllegalStateException("Demo FAILED: the agent did not answer every question within 60 s");
        }
        System.out.println("Demo finished: the agent answered all " + QUESTIONS + " questions.");
    }

    private static boolean runRoutes(String url, String agentId) throws Exception {
        CountDownLatch replies = new CountDownLatch(QUESTIONS);
        Main main = new Main();
        main.bind("demoReplies", replies);
        main.addInitialProperty("eliza.url", url);
        main.addInitialProperty("eliza.agentId", agentId);
        main.addInitialProperty("camel.main.name", "eliza-demo");
        main.addInitialProperty("camel.main.routesIncludePattern", "classpath:routes/ask-agent.camel.yaml");
        main.start();
        try {
            return replies.await(60, TimeUnit.SECONDS);
        } finally {
            main.stop();
        }
    }
}
