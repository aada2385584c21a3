package org.cameleliza.examples.scaleout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.cameleliza.examples.scaleout.Deliveries.Delivery;
import org.cameleliza.test.ElizaServerExtension;
import org.cameleliza.test.ElizaTestAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Eliza server is down when the leader stops: the follower takes the lock and its Eliza consumer starts all the
 * same (it connects in the background), so camel-master's single attempt to start it (CAMEL-24583) succeeds; once the
 * server is back the new leader delivers what was posted, each message once.
 */
class ElizaDownAtTakeoverIT {

    private static final String ROOM = "server-down-room";
    private static final String AGENT = "Echo";
    /** Upper bounds only: each wait ends as soon as what it waits for happened. */
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final ElizaServerExtension ELIZA = ElizaServerExtension.withAgents(ElizaTestAgent.named(AGENT));

    @Test
    void aNewLeaderWhoseServerIsDownDeliversOnceTheServerIsBack() throws Exception {
        try (RoomInstances instances = new RoomInstances(
                Path.of(System.getProperty("app.work.dir", "target/scale-out-it"), "server-down"),
                Map.of("app.room", ROOM, "eliza.url", ELIZA.url(), "eliza.agent-id", ELIZA.agentId(AGENT),
                        // checks more often than the default 15 s, for a shorter test
                        "app.watchdog-period-ms", "5000"))) {
            Deliveries deliveries = new Deliveries(instances.sharedDir());
            RoomInstance a = instances.start("a");
            RoomInstance b = instances.start("b");
            RoomInstance leader = RoomInstances.awaitLeader(a, b, START);
            RoomInstance follower = leader == a ? b : a;
            follower.awaitLog(ElizaRoomApplication.STARTED, START);
            Set<String> posted = new LinkedHashSet<>(ask("Before the outage"));
            deliveries.awaitDelivered(posted, WAIT);

            // the server goes down, then the leader stops: the follower leads, its consumer starts without a server
            ELIZA.server().stop();
            leader.stop();
            leader.awaitExit(WAIT);
            follower.awaitLeadership(WAIT);
            follower.awaitLog("started without its server", WAIT);

            ELIZA.server().start();
            Set<String> afterTheOutage = ask("After the outage, first", "After the outage, second");
            posted.addAll(afterTheOutage);
            deliveries.awaitDelivered(posted, WAIT);

            assertThat(deliveries.countsById()).as("times each answer was delivered")
                    .containsOnlyKeys(posted).allSatisfy((id, times) -> assertThat(times).isEqualTo(1));
            assertThat(deliveries.of(afterTheOutage)).extracting(Delivery::instance).containsOnly(follower.name());
        }
    }

    /** Asks the agent, through a new connection (the server may have been restarted); returns its answers' ids. */
    private static Set<String> ask(String... questions) {
        Set<String> ids = new LinkedHashSet<>();
        try (RoomUser user = new RoomUser(ELIZA.url(), ROOM, ELIZA.agentId(AGENT))) {
            for (String question : questions) {
                ids.add(user.ask(question).messageId());
            }
        }
        return ids;
    }
}
