package org.cameleliza.component.eliza;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.cameleliza.component.eliza.connection.ElizaChannelListener;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.connection.ElizaSubscription;
import org.cameleliza.component.eliza.consumer.ElizaConsumerIntake;
import org.cameleliza.component.eliza.consumer.ElizaParticipant;
import org.cameleliza.component.eliza.consumer.ElizaRoutingLoop;
import org.cameleliza.component.eliza.consumer.ElizaWatermark;
import org.cameleliza.component.eliza.health.ElizaConsumerHealthCheck;
import org.cameleliza.component.eliza.health.ElizaHealthCheck;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the endpoint's channel and turns the channel's events into exchanges, one at a time and in the order the
 * server sent them.
 * <p>
 * Threading: events arrive on the connection's thread, where an {@link ElizaConsumerIntake} only filters them into a
 * bounded queue; routing ({@link ElizaRoutingLoop}), the idempotent repository and the ExceptionHandler run on the
 * consumer's own thread (through Camel's asynchronous routing engine), so a slow route can neither stall the connection
 * nor reorder messages. When the queue is full the intake stops taking events and, once the route has caught up, reads
 * what it skipped from the server's history. Stopping drains the queue (graceful shutdown); the last message routed is
 * kept in a {@link StateRepository}, and a consumer that starts again delivers exactly what was posted after it.
 */
public class ElizaConsumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaConsumer.class);

    private final Set<String> events;
    private final BlockingQueue<ElizaConsumerIntake.Event> queue;
    private final IdempotentRepository repository;
    private final StateRepository<String, String> stateRepository;
    private volatile String stateKey;
    private final ElizaParticipant participant;
    private final ElizaRoutingLoop routing;
    private volatile ElizaConnection connection;
    private volatile ElizaSubscription subscription;
    private volatile ElizaConsumerIntake intake;
    private volatile ExecutorService executor;
    private HealthCheckRepository healthCheckRepository;
    private ElizaConsumerHealthCheck healthCheck;
    private volatile String joinProblem;
    // the consumer's place in its channel as last written to the state repository; the consumer's thread writes it
    private volatile ElizaWatermark place;
    // the start of a gap not read yet: the place does not move past it (null: none)
    private volatile ElizaWatermark placeBound;

    public ElizaConsumer(ElizaEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        ElizaConfiguration config = endpoint.getConfiguration();
        this.events = ElizaEvents.parse(config.getEvents());
        this.queue = new LinkedBlockingQueue<>(config.getQueueSize());
        this.repository = config.getIdempotentRepository() != null
                ? config.getIdempotentRepository() : endpoint.defaultIdempotentRepository();
        this.stateRepository = config.getStateRepository() != null
                ? config.getStateRepository() : endpoint.defaultStateRepository();
        // a participant posts the route's result as the answer, before the loop routes the next message
        this.participant = config.isReply()
                ? new ElizaParticipant(endpoint, getAsyncProcessor(), () -> connection, () -> executor) : null;
        this.routing = new ElizaRoutingLoop(this, new Link(), queue, repository,
                participant != null ? participant : getAsyncProcessor());
    }

    @Override
    public ElizaEndpoint getEndpoint() {
        return (ElizaEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ElizaEndpoint endpoint = getEndpoint();
        stateKey = endpoint.consumerStateKey(getRouteId());
        // started if they need it, never stopped here: the user's may serve others, ours outlive this consumer
        ServiceHelper.startService(repository, stateRepository);
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(), "consumers",
                HealthCheckRepository.class);
        if (healthCheckRepository != null) {
            healthCheck = new ElizaConsumerHealthCheck(this, getRouteId());
            healthCheck.setEnabled(endpoint.getComponent().isHealthCheckConsumerEnabled());
            setHealthCheck(healthCheck);
        }
        joinProblem = null;
        // one thread, a queue without bound, and refusal (never the caller running it) once stopped: the intake hands
        // work here from Socket.IO's thread, which must never run route code, an ExceptionHandler or a repository
        ThreadPoolProfile profile = new ThreadPoolProfile("ElizaConsumer");
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        executor = endpoint.getCamelContext().getExecutorServiceManager()
                .newThreadPool(this, "ElizaConsumer[" + endpoint.getChannel() + "]", profile);
        // on this (starting) thread, where the repository may block: where did a consumer of this channel stop?
        place = readPlace();
        intake = new ElizaConsumerIntake(new Link(), events, queue, place);
        connection = endpoint.acquireConnection();
        subscription = connection.subscribe(endpoint.getChannelId(), endpoint.joinPayload(), new Listener(intake));
        long timeout = endpoint.getConfiguration().getConnectTimeout();
        if (!endpoint.getConfiguration().isTestConnectionOnStartup()) {
            // a server that is up is waited for, so that the route is ready once started; one that is down (or refuses)
            // is not: the first failed attempt ends the wait, and the consumer joins in the background
            try {
                connection.awaitAttempt(timeout).thenCompose(v -> subscription.awaitJoined(timeout))
                        .get(2 * timeout + 5000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? ElizaConnection.unwrap(e.getCause()) : e;
                LOG.warn("Eliza consumer of channel {} started without its server: {}; it joins in the background,"
                         + " its health check says why until then", endpoint.getChannelId(), cause.getMessage());
            }
            return;
        }
        // each step fails on its own with the reason: refused, unreachable, or no join confirmation
        CompletableFuture<Void> ready = connection.awaitConnected(timeout)
                .thenCompose(v -> subscription.awaitJoined(timeout));
        try {
            ready.get(2 * timeout + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            stopListening();
            Throwable cause = e instanceof ExecutionException ? ElizaConnection.unwrap(e.getCause()) : e;
            throw cause instanceof Exception ? (Exception) cause : e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheck != null) {
            setHealthCheck(null);
            healthCheck = null;
        }
        closeIntake();
        stopListening();
        ExecutorService current = executor;
        if (current != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(current);
            executor = null;
        }
        if (!queue.isEmpty()) {
            // only when the shutdown was forced (its timeout passed): graceful shutdown drains the queue first
            LOG.warn("Eliza consumer of channel {} stopped with {} received messages not routed; they stay on the server"
                     + " and a restarted consumer delivers them when its idempotentRepository remembers what it"
                     + " delivered", getEndpoint().getChannelId(), queue.size());
            queue.clear();
        }
        routing.stopped();
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        closeIntake();
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        ElizaConnection current = connection;
        if (current != null) {
            // a new run of the intake: what was posted while suspended is on the server, after the place
            ElizaConsumerIntake resumed = new ElizaConsumerIntake(new Link(), events, queue, place);
            intake = resumed;
            if (subscription != null) {
                subscription.close();
            }
            subscription = current.subscribe(getEndpoint().getChannelId(), getEndpoint().joinPayload(),
                    new Listener(resumed));
        }
    }

    private void closeIntake() {
        ElizaConsumerIntake current = intake;
        if (current != null) {
            current.close();
        }
    }

    private void stopListening() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (connection != null) {
            getEndpoint().releaseConnection(connection);
            connection = null;
        }
    }

    /** The connection in use, or null while stopped. */
    public ElizaConnection getConnection() {
        return connection;
    }

    /** Received messages waiting for the route. */
    int getQueueDepth() {
        return queue.size();
    }

    private ElizaWatermark readPlace() {
        String stored = stateRepository.getState(stateKey);
        try {
            return ElizaWatermark.parse(stored);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The stateRepository holds no Eliza consumer watermark under " + stateKey
                                            + ": " + e.getMessage(), e);
        }
    }

    /** Moves the consumer's place on, on the consumer's thread (the repository may block); never back. */
    private void movePlace(ElizaWatermark next) {
        ElizaWatermark bound = placeBound;
        if (bound != null && next.isAfter(bound)) {
            next = bound;
        }
        if (next.isAfter(place)) {
            stateRepository.setState(stateKey, next.format());
            place = next;
        }
    }

    /** Why this consumer cannot receive messages now, or null when it can. Never holds credentials. */
    public String getProblem() {
        ElizaConnection current = connection;
        String problem = ElizaHealthCheck.connectionProblem(current, "consumer");
        if (problem != null) {
            return problem;
        }
        if (joinProblem != null) {
            return joinProblem;
        }
        return current.isJoined(getEndpoint().getChannelId())
                ? null : "Joining channel " + getEndpoint().getChannelId() + " (not confirmed by the server yet)";
    }

    /** Runs on the consumer's thread; errors of the connection's thread reach the ExceptionHandler this way. */
    private void onConsumerThread(Runnable task) {
        ExecutorService current = executor;
        try {
            if (current == null) {
                throw new RejectedExecutionException("stopped");
            }
            current.execute(task);
        } catch (RejectedExecutionException stopped) {
            LOG.debug("Eliza consumer of channel {} is stopped: task dropped", getEndpoint().getChannelId());
        }
    }

    // --- graceful shutdown: what was queued is routed before the consumer stops (as SedaConsumer does)

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        // from now on new messages stay on the server, so the drain ends; a restart or resume reads them from there
        closeIntake();
        return true;
    }

    @Override
    public int getPendingExchangesSize() {
        return queue.size() + (participant != null ? participant.pending() : 0);
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        // nothing to prepare: the queue drained while the shutdown strategy waited for pending exchanges
    }

    /** What the intake and the routing loop need from this consumer. */
    private final class Link implements ElizaConsumerIntake.Owner, ElizaRoutingLoop.Owner {
        @Override
        public ElizaEndpoint endpoint() {
            return getEndpoint();
        }

        @Override
        public ElizaConnection connection() {
            return connection;
        }

        @Override
        public ElizaConsumerIntake intake() {
            return intake;
        }

        @Override
        public ExecutorService executor() {
            return executor;
        }

        @Override
        public void report(Exception error) {
            onConsumerThread(() -> getExceptionHandler().handleException(error.getMessage(), error));
        }

        @Override
        public void scheduleRouting() {
            routing.schedule();
        }

        @Override
        public void startedAt(ElizaWatermark start) {
            onConsumerThread(() -> {
                try {
                    movePlace(start);
                } catch (RuntimeException e) {
                    getExceptionHandler().handleException("Eliza consumer cannot record where it started", e);
                }
            });
        }

        @Override
        public void holdPlaceAt(ElizaWatermark gapStart) {
            placeBound = gapStart;
        }

        @Override
        public String repositoryKey(String messageId) {
            return getRouteId() + ":" + messageId;
        }

        @Override
        public void routed(ElizaConsumerIntake.Event event) {
            movePlace(new ElizaWatermark(ElizaProtocol.createdAt(event.payload()), event.messageId()));
        }
    }

    /** The subscription's listener: the intake, plus the consumer's join state for its health check. */
    private final class Listener implements ElizaChannelListener {
        private final ElizaConsumerIntake target;

        Listener(ElizaConsumerIntake target) {
            this.target = target;
        }

        @Override
        public void onEvent(String event, Map<String, Object> payload) {
            target.onEvent(event, payload);
        }

        @Override
        public void onMalformedEvent(String event, Exception cause) {
            target.onMalformedEvent(event, cause);
        }

        @Override
        public void onJoined(boolean rejoin) {
            joinProblem = null;
            target.onJoined(rejoin);
        }

        @Override
        public void onJoinFailed(Exception cause) {
            joinProblem = cause.getMessage();
            if (isStarted()) {
                target.onJoinFailed(cause);
            }
        }
    }
}
