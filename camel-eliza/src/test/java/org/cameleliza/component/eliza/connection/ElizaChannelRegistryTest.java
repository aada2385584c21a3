package org.cameleliza.component.eliza.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The channel registry's rules, without a socket: rejoin on every connect, refusals attributed to the oldest join in
 * send order, listeners isolated from each other, nothing delivered after an unsubscribe.
 */
class ElizaChannelRegistryTest {

    private final List<String> joinsSent = new ArrayList<>();
    private final List<Map<String, Object>> joinPayloads = new ArrayList<>();
    private final ElizaChannelRegistry registry = new ElizaChannelRegistry(new ElizaChannelRegistry.Transport() {
        @Override
        public void emitJoin(Map<String, Object> payload) {
            joinsSent.add((String) payload.get("channelId"));
            joinPayloads.add(payload);
        }

        @Override
        public Future<?> schedule(Runnable task, long delayMillis) {
            // timers are not the subject here: they never fire
            return new CompletableFuture<>();
        }

        @Override
        public String messageServerId() {
            return ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID;
        }

        @Override
        public String describe() {
            return "test";
        }
    }, 1000);

    private static final class Recorder implements ElizaChannelListener {
        final List<String> events = new ArrayList<>();
        final List<Exception> joinFailures = new ArrayList<>();
        final List<Boolean> joins = new ArrayList<>();

        @Override
        public void onEvent(String event, Map<String, Object> payload) {
            events.add(event + ":" + payload.get("text"));
        }

        @Override
        public void onMalformedEvent(String event, Exception cause) {
            events.add("malformed " + event);
        }

        @Override
        public void onJoined(boolean rejoin) {
            joins.add(rejoin);
        }

        @Override
        public void onJoinFailed(Exception cause) {
            joinFailures.add(cause);
        }
    }

    private ElizaSubscription subscribe(String channelId, ElizaChannelListener listener) {
        ElizaSubscription subscription = new ElizaSubscription(null, channelId, listener);
        registry.add(subscription, Map.of("channelId", channelId));
        return subscription;
    }

    @Test
    void everyChannelIsJoinedAgainOnEveryConnect() {
        Recorder recorder = new Recorder();
        subscribe("a", recorder);
        subscribe("b", recorder);
        assertThat(joinsSent).as("not connected yet").isEmpty();

        registry.onConnected(false);
        registry.onJoined("a");
        registry.onJoined("b");
        registry.onDisconnected();
        assertThat(registry.isJoined("a")).isFalse();
        registry.onConnected(true);
        registry.onJoined("a");

        assertThat(joinsSent).containsExactly("a", "b", "a", "b");
        assertThat(recorder.joins).containsExactly(false, false, true);
        assertThat(registry.isJoined("a")).isTrue();
        assertThat(registry.isJoined("b")).isFalse();
    }

    @Test
    void theJoinAfterOurFirstMessageCreatedTheChannelDoesNotAnnounceUsAgain() {
        registry.onConnected(false);
        ElizaSubscription subscription = new ElizaSubscription(null, "new", new Recorder());
        registry.add(subscription, Map.of("channelId", "new", "entityId", "me"));
        registry.onJoinDenied("Access denied");

        // the message that created the channel announced us already: a second announcement races its processing
        registry.joinAgain("new");
        registry.onJoined("new");
        registry.onDisconnected();
        registry.onConnected(true);

        assertThat(joinPayloads).extracting(p -> p.get("entityId")).containsExactly("me", null, null);
    }

    @Test
    void aRefusalAnswersTheOldestUnconfirmedJoinInSendOrder() {
        registry.onConnected(false);
        Recorder c = new Recorder();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        // joined in this order: c, a, b (not the order a hash map would list them in)
        subscribe("c-channel", c);
        subscribe("a-channel", a);
        subscribe("b-channel", b);
        registry.onJoined("a-channel");
        CompletableFuture<Void> bJoined = new CompletableFuture<>();
        registry.awaitJoined(new ElizaSubscription(null, "x", b), new CompletableFuture<>(), 1000);
        ElizaSubscription bSubscription = new ElizaSubscription(null, "b-channel", b);
        registry.add(bSubscription, Map.of("channelId", "b-channel"));
        registry.awaitJoined(bSubscription, bJoined, 1000);

        assertThat(registry.onJoinDenied("Access denied: not a participant")).isTrue();
        assertThat(c.joinFailures).hasSize(1);
        assertThat(b.joinFailures).isEmpty();
        assertThat(registry.onJoinDenied("Access denied: not a participant")).isTrue();
        assertThat(b.joinFailures).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(ElizaMessageRejectedException.class)
                .hasMessageContaining("b-channel"));
        assertThat(bJoined).isCompletedExceptionally();
        assertThat(registry.onJoinDenied("Access denied")).as("nothing left waiting").isFalse();
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheEventFromTheOthers() {
        registry.onConnected(false);
        Recorder before = new Recorder();
        Recorder after = new Recorder();
        subscribe("room", before);
        subscribe("room", new ElizaChannelListener() {
            @Override
            public void onEvent(String event, Map<String, Object> payload) {
                throw new IllegalStateException("a broken listener");
            }

            @Override
            public void onMalformedEvent(String event, Exception cause) {
                throw new IllegalStateException("a broken listener");
            }
        });
        subscribe("room", after);

        registry.deliver("room", "messageBroadcast", Map.of("text", "hello"));
        registry.malformedToAll("messageBroadcast", new IllegalArgumentException("bad json"));

        assertThat(before.events).containsExactly("messageBroadcast:hello", "malformed messageBroadcast");
        assertThat(after.events).containsExactly("messageBroadcast:hello", "malformed messageBroadcast");
    }

    @Test
    void nothingIsDeliveredAfterUnsubscribingAndTheChannelIsForgotten() {
        registry.onConnected(false);
        Recorder recorder = new Recorder();
        ElizaSubscription subscription = subscribe("room", recorder);
        registry.onJoined("room");
        CompletableFuture<Void> waiting = new CompletableFuture<>();

        registry.remove(subscription, new ElizaConnectionException("unsubscribed"));
        registry.awaitJoined(subscription, waiting, 1000);
        registry.deliver("room", "messageBroadcast", Map.of("text", "too late"));

        assertThat(recorder.events).isEmpty();
        assertThat(registry.isEmpty()).isTrue();
        assertThat(registry.isJoined("room")).isFalse();
        assertThat(waiting).isCompletedExceptionally();
    }

    @Test
    void aSubscriberOfAnAlreadyJoinedChannelHearsOfTheJoin() {
        registry.onConnected(false);
        subscribe("room", new Recorder());
        registry.onJoined("room");
        Recorder late = new Recorder();

        subscribe("room", late);

        assertThat(late.joins).containsExactly(false);
        assertThat(joinsSent).containsExactly("room");
    }
}
