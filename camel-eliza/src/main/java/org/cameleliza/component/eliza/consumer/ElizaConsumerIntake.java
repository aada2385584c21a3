package org.cameleliza.component.eliza.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;

import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaRateLimitedException;
import org.cameleliza.component.eliza.connection.ElizaChannelListener;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.connection.ElizaRecoveryQueue;
import org.cameleliza.component.eliza.connection.ElizaRecoveryQueue.Urgency;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a consumer does on the connection's thread, for one run (start to stop) of the consumer: filters the channel's
 * events into the bounded queue, and reads from the server's history what the consumer did not take live (after a
 * reconnect, a resume, a full queue, or a restart). All its state is the connection thread's; a new run starts with a
 * new intake, so nothing of a stopped run leaks into the next.
 */
public final class ElizaConsumerIntake implements ElizaChannelListener {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaConsumerIntake.class);
    /** The delays before a gap recovery the server could not answer is read again (at least its rate limit's pause). */
    private static final long[] RECOVERY_RETRIES = { 5_000, 30_000, 120_000, 300_000, 900_000, 900_000 };

    /** A server event accepted for routing. */
    public record Event(String name, Map<String, Object> payload) {
        /** The server's message id of a message, null for other events. */
        public String messageId() {
            return ElizaEvents.MESSAGE_BROADCAST.equals(name) ? ElizaProtocol.string(payload, "id") : null;
        }
    }

    /** What the intake needs from its consumer. */
    public interface Owner {
        ElizaEndpoint endpoint();

        ElizaConnection connection();

        /** Hands an error to the consumer's ExceptionHandler, on the consumer's thread (never this one). */
        void report(Exception error);

        /** The route has work: route what is queued. */
        void scheduleRouting();

        /**
         * A first start found where the channel stands: a later start resumes from there. Called on the connection's
         * thread; the consumer writes it on its own.
         */
        void startedAt(ElizaWatermark place);

        /**
         * Messages from {@code gapStart} on could not be read yet (null: nothing is missing any more): the consumer's
         * place must not move past it, so that a restart meanwhile reads them. Called on the connection's thread.
         */
        void holdPlaceAt(ElizaWatermark gapStart);
    }

    private final Owner consumer;
    private final ElizaConfiguration config;
    private final Set<String> events;
    private final BlockingQueue<Event> queue;
    private final ElizaWatermark resumeFrom;
    private final long startedAt = System.currentTimeMillis();
    private final Set<String> recentIds;
    private final List<Event> held = new ArrayList<>();
    // read by the consumer's thread to know when to end an overflow
    private volatile boolean overflow;
    private volatile boolean closed;
    private long watermark = -1;
    private boolean recovering;
    private int recoveryGeneration;
    private int droppedUnstored;
    // a gap the server could not be read for yet: from when (epoch ms; -1: none), and how often it was tried
    private long pendingSince = -1;
    private int pendingAttempts;
    // the gap read waiting for its turn (the connection paces them), and the first start's read of where the channel
    // stands; null: none waits
    private ElizaRecoveryQueue.Ticket gapTurn;
    private ElizaRecoveryQueue.Ticket positionTurn;
    // a first start whose place (where the channel stood) is not known yet; read by close() on Camel's thread
    private volatile boolean placeUnknown;

    /**
     * {@code resumeFrom}: the last message a consumer of this channel routed before (its state repository says so), or
     * null for a first start.
     */
    public ElizaConsumerIntake(Owner consumer, Set<String> events, BlockingQueue<Event> queue,
                               ElizaWatermark resumeFrom) {
        this.consumer = consumer;
        this.config = consumer.endpoint().getConfiguration();
        this.events = events;
        this.queue = queue;
        this.resumeFrom = resumeFrom;
        if (resumeFrom != null) {
            watermark = resumeFrom.createdAt();
        }
        int cacheSize = config.getDuplicateCacheSize();
        this.recentIds = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > cacheSize;
            }
        });
    }

    /**
     * From now on new events stay on the server (shutdown or suspension began, or the consumer stopped). Called on
     * Camel's thread: what the connection's thread owns is let go there.
     */
    public void close() {
        closed = true;
        if (placeUnknown) {
            // where the channel stood at the first start was not read yet: now, by this machine's clock, as when the
            // read fails; else the next start would count as a first one and skip what came meanwhile
            placeUnknown = false;
            consumer.startedAt(new ElizaWatermark(startedAt, null));
        }
        ElizaConnection connection = consumer.connection();
        if (connection != null) {
            connection.execute(this::letGoOfTurns);
        }
    }

    private void letGoOfTurns() {
        cancel(gapTurn);
        cancel(positionTurn);
        gapTurn = null;
        positionTurn = null;
        if (pendingSince < 0) {
            return;
        }
        if (pendingAttempts == 0) {
            // thousands of channels may wait for their turn at a stop: not one warning each
            LOG.debug("Gap recovery of channel {} had not read the messages since {} yet: its next start reads them",
                    channelId(), pendingSince);
        } else {
            LOG.warn("Gap recovery of channel {} could not read the messages since {} yet: the consumer's place stays"
                     + " there, and its next start reads them", channelId(), pendingSince);
        }
    }

    private static void cancel(ElizaRecoveryQueue.Ticket turn) {
        if (turn != null) {
            turn.cancel();
        }
    }

    public boolean isOverflowing() {
        return overflow;
    }

    private String channelId() {
        return consumer.endpoint().getChannelId();
    }

    // --- events

    @Override
    public void onEvent(String event, Map<String, Object> payload) {
        if (closed || !events.contains(event) || !accept(event, payload)) {
            return;
        }
        Event accepted = new Event(event, payload);
        if (recovering) {
            if (gapTurn != null && gapTurn.isWaiting()) {
                // the channel is active: its gap is read now, not when the connection's pace allows
                gapTurn.promote();
            }
            // while recovering, what was missed goes first, then these; held within the same bound as the queue
            if (!overflow && held.size() < config.getQueueSize()) {
                held.add(accepted);
            } else {
                skip(accepted);
            }
            return;
        }
        offer(accepted);
        if (positionTurn != null && accepted.messageId() != null) {
            // the channel stood just before this message: the read for it is not needed. Recorded now, not when the
            // message was routed: a stop before that must find it again
            positionTurn.cancel();
            positionTurn = null;
            placeUnknown = false;
            long createdAt = ElizaProtocol.createdAt(accepted.payload());
            consumer.startedAt(new ElizaWatermark(createdAt > 0 ? createdAt - 1 : startedAt, null));
        }
        consumer.scheduleRouting();
    }

    /** Queues an event, or, when the queue is full, starts skipping until the route has caught up. */
    private void offer(Event event) {
        if (!overflow && queue.offer(event)) {
            if (event.messageId() != null) {
                watermark = Math.max(watermark, ElizaProtocol.createdAt(event.payload()));
            }
            return;
        }
        skip(event);
    }

    /** The queue is full: the event is left on the server, and read from there once the route has caught up. */
    private void skip(Event event) {
        if (!overflow) {
            overflow = true;
            LOG.warn("The queue of the Eliza consumer of channel {} is full ({} messages): the next messages are read"
                     + " from the server once the route has caught up", channelId(), queue.size());
        }
        if (event.messageId() != null) {
            // not delivered: the id must not count as seen, or the recovery would drop it
            recentIds.remove(event.messageId());
        } else {
            droppedUnstored++;
        }
    }

    @Override
    public void onJoined(boolean rejoin) {
        if (!config.isGapRecovery() || closed) {
            return;
        }
        if (rejoin) {
            recoverGap(Urgency.GAP);
        } else {
            recoverSinceLastStart();
        }
    }

    @Override
    public void onJoinFailed(Exception cause) {
        consumer.report(cause);
    }

    @Override
    public void onMalformedEvent(String event, Exception cause) {
        if (events.contains(event)) {
            consumer.report(new ElizaException("Malformed " + event + " event from the Eliza server: " + cause.getMessage(),
                    cause));
        }
    }

    // --- gap recovery: what was posted while away (disconnected, stopped, suspended, or skipped) is read over REST

    /**
     * On the first join of a run: after a restart, what was posted after the last message routed (the watermark in the
     * consumer's state repository), however busy the channel was before. On a first start nothing older than now is
     * delivered, and where the channel stands now becomes the watermark a later start resumes from.
     */
    private void recoverSinceLastStart() {
        ElizaConnection connection = consumer.connection();
        if (connection == null) {
            return;
        }
        if (resumeFrom != null) {
            // a place without a message (a first start's) is resumed from just after it
            long since = resumeFrom.messageId() != null ? resumeFrom.createdAt() : resumeFrom.createdAt() + 1;
            recover(since, resumeFrom, "since the last message routed", Urgency.GAP);
            return;
        }
        // the least urgent read of all: a message arriving meanwhile tells where the channel stands
        cancel(positionTurn);
        placeUnknown = true;
        positionTurn = connection.recoveries().enqueue(Urgency.POSITION, false, -1, () -> {
            positionTurn = null;
            if (!closed) {
                readPosition(connection);
            }
        });
    }

    private void readPosition(ElizaConnection connection) {
        int generation = startRecovery();
        // only the newest message is read: where the channel stands
        connection.rest().messagesSince(channelId(), Long.MAX_VALUE, 1).whenComplete((history, error) -> {
            long now = error != null || history.newest() < 0 ? startedAt : history.newest();
            watermark = Math.max(watermark, now);
            if (error != null) {
                // nothing is missing on a first start: the place is now, by this machine's clock
                LOG.debug("Could not read the newest message of channel {}: {}", channelId(), error.getMessage());
            }
            placeUnknown = false;
            consumer.startedAt(new ElizaWatermark(now, null));
            finishRecovery(generation, null, null, "since the first start");
        });
    }

    /** What came after the watermark: its own message was routed already. */
    private static ElizaRestClient.History without(ElizaRestClient.History history, ElizaWatermark mark) {
        if (mark == null) {
            return history;
        }
        List<Map<String, Object>> after = new ArrayList<>(history.messages());
        after.removeIf(m -> mark.messageId() != null && mark.messageId().equals(String.valueOf(m.get("id"))));
        return new ElizaRestClient.History(after, history.complete(), history.reachedKnown(), history.newest());
    }

    /** After a reconnect, a resume or an overflow: what was posted after the newest message queued. */
    private void recoverGap(Urgency urgency) {
        ElizaConnection connection = consumer.connection();
        if (connection == null || closed) {
            return;
        }
        long since = watermark >= 0 ? watermark : startedAt;
        if (pendingSince >= 0) {
            // a gap not read yet goes with it
            since = Math.min(since, pendingSince);
        }
        recover(since, null, "since " + since, urgency);
    }

    /**
     * Reads and delivers what was posted from {@code since} on ({@code skip}: a message routed already), when the
     * connection's pace gives the read its turn ({@link ElizaRecoveryQueue}); from now on new messages are held, and
     * the first of them makes the read go at once. A read the server could not answer now (rate limit, 5xx, network) is
     * queued again after the server's pause and a growing delay, six times (the last about 40 minutes after the first,
     * plus the waits for a turn); live messages are routed meanwhile, the consumer's place held before the gap.
     */
    private void recover(long since, ElizaWatermark skip, String what, Urgency urgency) {
        ElizaConnection connection = consumer.connection();
        if (connection == null || closed) {
            return;
        }
        int generation = startRecovery();
        // a gap that waited already (an earlier reconnect, a failed read) goes before fresh ones
        boolean waitedBefore = pendingSince >= 0;
        if (pendingSince < 0 || since < pendingSince) {
            // not read yet: a newer read starts from here too. The consumer's place needs no hold meanwhile: the new
            // messages wait for the read, so the place cannot pass the gap
            pendingSince = since;
        }
        // a newer read covers what an older one waits for
        cancel(gapTurn);
        if (positionTurn != null) {
            // a first start's place not read yet: this read covers everything since the start
            positionTurn.cancel();
            positionTurn = null;
            placeUnknown = false;
            consumer.startedAt(new ElizaWatermark(startedAt, null));
        }
        gapTurn = connection.recoveries().enqueue(urgency, waitedBefore, watermark, () -> {
            gapTurn = null;
            if (generation == recoveryGeneration && !closed) {
                read(connection, generation, since, skip, what);
            }
        });
    }

    private void read(ElizaConnection connection, int generation, long since, ElizaWatermark skip, String what) {
        connection.rest().messagesSince(channelId(), since, config.getGapRecoveryMaxMessages()).whenComplete(
                (history, error) -> {
                    if (generation != recoveryGeneration) {
                        // a newer recovery reads the same messages and more (a pending gap goes with it)
                        return;
                    }
                    Throwable cause = error != null ? ElizaConnection.unwrap(error) : null;
                    // the server could not answer now (rate limit, 5xx, network): another time it may
                    boolean transientFailure = cause instanceof ElizaRateLimitedException
                                               || cause instanceof ElizaConnectionException;
                    if (transientFailure && pendingAttempts < RECOVERY_RETRIES.length) {
                        long delay = Math.max(RECOVERY_RETRIES[pendingAttempts++],
                                connection.rest().budget().pausedForMillis());
                        LOG.warn("Gap recovery of channel {} could not read the messages {}: {}; trying again in {} s",
                                channelId(), what, cause.getMessage(), delay / 1000);
                        // live messages are routed meanwhile: the consumer's place must not pass the gap
                        consumer.holdPlaceAt(new ElizaWatermark(pendingSince - 1, null));
                        finishRecovery(generation, null, null, what);
                        connection.schedule(() -> {
                            if (pendingSince >= 0 && !recovering) {
                                recover(pendingSince, skip, what, Urgency.GAP);
                            }
                        }, delay);
                        return;
                    }
                    if (error == null || pendingSince >= 0) {
                        // read, or given up: either way nothing is held back any more
                        pendingSince = -1;
                        pendingAttempts = 0;
                        consumer.holdPlaceAt(null);
                    }
                    finishRecovery(generation, error != null ? null : without(history, skip), error, what);
                });
    }

    private int startRecovery() {
        recovering = true;
        return ++recoveryGeneration;
    }

    private void finishRecovery(int generation, ElizaRestClient.History history, Throwable error, String what) {
        if (generation != recoveryGeneration) {
            // a newer recovery covers the same messages (nothing was queued meanwhile: it was held)
            return;
        }
        if (error != null) {
            Throwable cause = ElizaConnection.unwrap(error);
            consumer.report(new ElizaConnectionException(
                    "Gap recovery of channel " + channelId() + " failed; messages posted while the consumer was away may"
                                                         + " be missing: " + cause.getMessage(),
                    cause));
        } else if (history != null) {
            deliver(history, what);
        }
        recovering = false;
        held.forEach(this::offer);
        held.clear();
        consumer.scheduleRouting();
        if (overflow && queue.size() <= config.getQueueSize() / 2) {
            // skipped while recovering, with room again: read on
            endOverflow();
        }
    }

    private void deliver(ElizaRestClient.History history, String what) {
        List<Map<String, Object>> missed = new ArrayList<>(history.messages());
        missed.sort(Comparator.comparingLong(ElizaProtocol::createdAt));
        int recovered = 0;
        if (events.contains(ElizaEvents.MESSAGE_BROADCAST)) {
            for (Map<String, Object> stored : missed) {
                Map<String, Object> payload = ElizaProtocol.fromStoredMessage(stored);
                if (accept(ElizaEvents.MESSAGE_BROADCAST, payload)) {
                    offer(new Event(ElizaEvents.MESSAGE_BROADCAST, payload));
                    recovered++;
                }
            }
        }
        LOG.info("Gap recovery of channel {}: {} messages {} delivered", channelId(), recovered, what);
        if (!history.complete()) {
            consumer.report(new ElizaConnectionException(
                    "More than gapRecoveryMaxMessages (" + config.getGapRecoveryMaxMessages() + ") messages were posted"
                                                         + " to channel " + channelId() + " while the consumer was away;"
                                                         + " the newest were delivered, the older ones are missing"));
        }
    }

    /** The route caught up after an overflow: read from the server what the full queue made us skip. */
    public void endOverflow() {
        if (!overflow || recovering) {
            return;
        }
        overflow = false;
        if (droppedUnstored > 0) {
            consumer.report(new ElizaException(
                    droppedUnstored + " events of channel " + channelId() + " that the server does not store (stream"
                                               + " chunks, errors...) were dropped while the consumer's queue was full"));
            droppedUnstored = 0;
        }
        if (config.isGapRecovery()) {
            // the channel is busy enough to have filled the queue: no waiting for the connection's pace
            recoverGap(Urgency.NOW);
        } else {
            consumer.report(new ElizaException(
                    "The queue of the Eliza consumer of channel " + channelId() + " was full and gapRecovery is off:"
                                               + " messages posted meanwhile were not delivered"));
        }
    }

    private boolean accept(String event, Map<String, Object> payload) {
        ElizaEndpoint endpoint = consumer.endpoint();
        if (ElizaEvents.hasSender(event)) {
            String sender = ElizaProtocol.string(payload, payload.containsKey("senderId") ? "senderId" : "agentId");
            if (!config.isIncludeOwnMessages() && endpoint.getEntityId().equalsIgnoreCase(sender)) {
                return false;
            }
            if (config.isAgentMessagesOnly() && !config.getAgentId().equalsIgnoreCase(sender)) {
                return false;
            }
        }
        if (ElizaEvents.MESSAGE_BROADCAST.equals(event)) {
            String id = ElizaProtocol.string(payload, "id");
            if (id != null && !recentIds.add(id)) {
                LOG.debug("Not delivering message {} again", id);
                return false;
            }
        }
        return true;
    }
}
