package org.cameleliza.component.eliza.consumer;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.DefaultConsumer;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.protocol.ElizaMessageMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing loop of a consumer: turns the events its {@link ElizaConsumerIntake} queued into exchanges and routes
 * them, one exchange at a time and in order, on the consumer's own thread (through Camel's asynchronous routing
 * engine). A message is recorded in the idempotent repository once it was routed, and once the route has caught up
 * with a queue that overflowed, the intake is told to read what it skipped.
 */
public final class ElizaRoutingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaRoutingLoop.class);

    /** What the loop needs from its consumer, whose thread, intake and connection change with each run. */
    public interface Owner {
        ElizaEndpoint endpoint();

        /** The connection in use, or null while stopped. */
        ElizaConnection connection();

        /** The intake of the current run, or null while stopped. */
        ElizaConsumerIntake intake();

        /** The consumer's thread (a pool of one), or null while stopped. */
        ExecutorService executor();

        /** An exchange of this event completed without an exception: the consumer's place moves on. */
        void routed(ElizaConsumerIntake.Event event);

        /**
         * The key of a message id in the idempotent repository: the route's, so that routes consuming one channel
         * each get everything, even when they share one repository.
         */
        String repositoryKey(String messageId);
    }

    private final DefaultConsumer consumer;
    private final Owner owner;
    private final BlockingQueue<ElizaConsumerIntake.Event> queue;
    private final IdempotentRepository repository;
    private final AsyncProcessor processor;
    private final AtomicBoolean routing = new AtomicBoolean();

    /**
     * {@code consumer} creates, routes and releases the exchanges and handles their errors; {@code queue} is where its
     * intake puts the events, {@code repository} where it remembers the messages it delivered; {@code processor} routes
     * an exchange: the consumer's, or an {@link ElizaParticipant} around it.
     */
    public ElizaRoutingLoop(DefaultConsumer consumer, Owner owner, BlockingQueue<ElizaConsumerIntake.Event> queue,
                            IdempotentRepository repository, AsyncProcessor processor) {
        this.consumer = consumer;
        this.processor = processor;
        this.owner = owner;
        this.queue = queue;
        this.repository = repository;
    }

    /** The queue has work: routes it on the consumer's thread, unless the loop runs already. */
    public void schedule() {
        if (routing.compareAndSet(false, true)) {
            ExecutorService current = owner.executor();
            try {
                if (current == null) {
                    throw new RejectedExecutionException("stopped");
                }
                current.execute(() -> routeNext(current));
            } catch (RejectedExecutionException e) {
                routing.set(false);
                LOG.debug("Eliza consumer is stopping: {} events not routed", queue.size());
            }
        }
    }

    /** The consumer stopped and its thread is shut down: the loop of a restarted consumer is scheduled anew. */
    public void stopped() {
        routing.set(false);
    }

    /**
     * Routes what is queued, one exchange at a time and in order: on in a loop while the route completes
     * synchronously (a route of one step; Camel's pipeline of several completes asynchronously), so a busy consumer
     * does not hand every message to its executor anew; an exchange that continues asynchronously goes on from its
     * callback. The loop ends when its executor is shut down: a restarted consumer routes on a new one.
     */
    private void routeNext(ExecutorService mine) {
        while (true) {
            if (mine.isShutdown()) {
                // stopped: what is left is drained by a graceful stop before this, or dropped by a forced one (doStop)
                return;
            }
            ElizaConsumerIntake.Event next = queue.poll();
            if (next == null) {
                afterRouting();
                return;
            }
            Exchange exchange = toExchange(next);
            if (exchange == null) {
                continue;
            }
            if (exchange.getException() != null) {
                finish(exchange, next);
                continue;
            }
            boolean sync = processor.process(exchange, doneSync -> {
                if (!doneSync) {
                    finish(exchange, next);
                    afterRouting();
                }
            });
            if (!sync) {
                return;
            }
            finish(exchange, next);
            endOverflowIfCaughtUp();
        }
    }

    /** The exchange of an event, one with the exception when it cannot be made, or null to skip the event. */
    private Exchange toExchange(ElizaConsumerIntake.Event next) {
        String id = next.messageId();
        Exchange exchange = null;
        try {
            if (id != null && repository.contains(owner.repositoryKey(id))) {
                // delivered before (by this consumer, or by the one that stopped before it)
                LOG.debug("Message {} was delivered before: skipped", id);
                return null;
            }
            exchange = consumer.createExchange(false);
            ElizaMessageMapper.toMessage(exchange.getMessage(), next.name(), next.payload(),
                    owner.endpoint().getConfiguration().getBodyType());
            if (id != null) {
                exchange.getMessage().setMessageId(id);
            }
        } catch (RuntimeException e) {
            if (exchange == null) {
                // the repository failed: report it and go on with the next, rather than stop routing for good
                consumer.getExceptionHandler().handleException("Eliza consumer cannot check message " + id, e);
                return null;
            }
            exchange.setException(e);
        }
        return exchange;
    }

    private void finish(Exchange exchange, ElizaConsumerIntake.Event event) {
        String id = event.messageId();
        try {
            if (exchange.getException() != null) {
                consumer.getExceptionHandler().handleException("Error processing Eliza message", exchange,
                        exchange.getException());
            } else if (id != null) {
                // once routed, not before: a message a crash or a forced stop cut short is delivered again by the next
                // start, which resumes after the last one routed
                repository.add(owner.repositoryKey(id));
                owner.routed(event);
            }
        } catch (RuntimeException e) {
            consumer.getExceptionHandler().handleException("Eliza consumer cannot record message " + id, e);
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    private void afterRouting() {
        routing.set(false);
        endOverflowIfCaughtUp();
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    /** Once the route has caught up with a queue that overflowed, the intake reads what it skipped. */
    private void endOverflowIfCaughtUp() {
        ElizaConsumerIntake current = owner.intake();
        ElizaConnection currentConnection = owner.connection();
        if (current != null && currentConnection != null && current.isOverflowing()
                && queue.size() <= owner.endpoint().getConfiguration().getQueueSize() / 2) {
            currentConnection.execute(current::endOverflow);
        }
    }
}
