package org.cameleliza.examples.scaleout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cameleliza.examples.scaleout.Deliveries.Delivery;
import org.cameleliza.examples.scaleout.RoomUser.Answer;
import org.cameleliza.test.ElizaTestServer;

/**
 * The demo ({@code -Prun}): a local Eliza server (unless -Deliza.url and -Deliza.agentId name one), two instances of
 * the room application, the leader stopped, then the next leader killed, and a summary of who delivered what. Exits
 * with status 1 when a message was not delivered.
 */
public final class ScaleOutDemo {

    private static final String ROOM = "scale-out-demo";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Map<String, Answer> posted = new LinkedHashMap<>();
    private final Path workDir;
    private final Path sharedDir;
    private final Deliveries deliveries;
    private final String url;
    private final String agentId;

    private ScaleOutDemo(Path workDir, String url, String agentId) {
        this.workDir = workDir;
        this.sharedDir = workDir.resolve("shared");
        this.deliveries = new Deliveries(sharedDir);
        this.url = url;
        this.agentId = agentId;
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(System.getProperty("app.work.dir", "target/scale-out-demo"));
        String url = System.getProperty("eliza.url");
        String agentId = System.getProperty("eliza.agentId");
        ElizaTestServer server = null;
        if (url == null) {
            System.out.println("Starting a local Eliza server (@elizaos/server 1.7.2, deterministic agent 'Echo')...");
            server = ElizaTestServer.builder().build().start();
            url = server.url();
            agentId = server.agent().id();
        } else if (agentId == null) {
            throw new IllegalArgumentException("-Deliza.url is set: set -Deliza.agentId to the agent of the room too");
        }
        boolean allDelivered;
        try {
            allDelivered = new ScaleOutDemo(workDir, url, agentId).run();
        } finally {
            if (server != null) {
                server.stop();
            }
        }
        System.exit(allDelivered ? 0 : 1);
    }

    private boolean run() throws Exception {
        try (RoomInstances instances = new RoomInstances(workDir,
                Map.of("app.room", ROOM, "eliza.url", url, "eliza.agent-id", agentId));
             RoomUser user = new RoomUser(url, ROOM, agentId)) {
            RoomInstance a = instances.start("a");
            RoomInstance b = instances.start("b");
            RoomInstance leader = RoomInstances.awaitLeader(a, b, WAIT);
            RoomInstance follower = leader == a ? b : a;
            follower.awaitLog(ElizaRoomApplication.STARTED, WAIT);
            say("Instance %s leads, %s follows. Asking the agent twice...", leader.name(), follower.name());
            ask(user, 2, "while " + leader.name() + " leads");

            say("Stopping the leader %s (SIGTERM) and asking twice more...", leader.name());
            leader.stop();
            ask(user, 2, "while " + leader.name() + " stops");
            leader.awaitExit(WAIT);
            follower.awaitLeadership(WAIT);
            say("%s took over.", follower.name());

            RoomInstance c = instances.start("c");
            c.awaitLog(ElizaRoomApplication.STARTED, WAIT);
            say("Instance c follows. Killing the leader %s (SIGKILL) and asking twice more: c takes over once the dead"
                + " leader's heartbeat is 5 s old...", follower.name());
            follower.kill();
            ask(user, 2, "after " + follower.name() + " was killed");
            c.awaitLeadership(WAIT);
            say("c took over.");
            deliveries.awaitDelivered(posted.keySet(), WAIT);
            c.stop();
            c.awaitExit(WAIT);
        } catch (AssertionError | RuntimeException e) {
            say("Demo FAILED: %s", e.getMessage());
            return false;
        }
        return summarize();
    }

    private void ask(RoomUser user, int count, String when) {
        for (int i = 0; i < count; i++) {
            Answer answer = user.ask("Question " + (posted.size() + 1) + ", asked " + when);
            posted.put(answer.messageId(), answer);
        }
    }

    private boolean summarize() throws IOException {
        List<Delivery> all = deliveries.all();
        say("%nWho delivered the agent's answers (from %s):", sharedDir.resolve("deliveries.log"));
        for (Answer answer : posted.values()) {
            List<Delivery> its = all.stream().filter(d -> d.messageId().equals(answer.messageId())).toList();
            String by = its.isEmpty() ? "NOT DELIVERED" : String.join(", ", its.stream()
                    .map(d -> d.instance() + (d.recovered() ? " (recovered)" : " (live)")).toList());
            say("  %-60s %s", answer.text(), by);
        }
        long lost = posted.keySet().stream()
                .filter(id -> all.stream().noneMatch(d -> d.messageId().equals(id))).count();
        long twice = all.size() - (posted.size() - lost);
        say("%n%d answers posted, %d lost, %d delivered twice. Instance logs: %s", posted.size(), lost, twice, workDir);
        return lost == 0;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
