package org.cameleliza.component.eliza;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.Message;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.util.URISupport;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.health.ElizaProducerHealthCheck;
import org.cameleliza.component.eliza.producer.ElizaMessageBuilder;
import org.cameleliza.component.eliza.producer.ElizaRedeliveryState;
import org.cameleliza.component.eliza.producer.ElizaRestTransport;
import org.cameleliza.component.eliza.producer.ElizaStreamingReply;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaMessageMapper;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.reply.ElizaReplyTracker;
import org.cameleliza.component.eliza.reply.ElizaStreamTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the exchange body as a message. Without request-reply the exchange completes when the server acknowledges the
 * message; with it (by default for a message to an agent: the requestReply option), when the agent's reply to that
 * very message arrives (see {@link ElizaReplyTracker}), or with streaming as soon as the server acknowledged it, the
 * answer's chunks then feeding the body (see {@link ElizaStreamingReply}); the exchange pattern is left as it is. No
 * thread waits in any case, and the exchange always continues on a worker thread of the component, never on a
 * connection's or Socket.IO's thread. With transport=http or sse, {@link ElizaRestTransport} sends instead: a REST
 * request per message whose answer is the agent's, and no connection.
 */
public class ElizaProducer extends DefaultAsyncProducer implements RouteIdAware {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaProducer.class);

    private volatile ElizaConnection connection;
    /** With transport=http or sse: the REST requests that replace the connection. */
    private volatile ElizaRestTransport restTransport;
    /** The key of this endpoint's redelivery state in the exchange (see {@link ElizaRedeliveryState}). */
    private final String stateKey;
    private ElizaProducerHealthCheck healthCheck;
    private String routeId;

    public ElizaProducer(ElizaEndpoint endpoint) {
        super(endpoint);
        // as Camel shows the URI: the key can be seen wherever the exchange's properties are
        this.stateKey = URISupport.sanitizeUri(endpoint.getEndpointUri());
    }

    @Override
    public ElizaEndpoint getEndpoint() {
        return (ElizaEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ElizaComponent component = getEndpoint().getComponent();
        if (getEndpoint().getConfiguration().usesRestTransport()) {
            // a REST request per message: no Socket.IO connection, and no readiness check of one
            ElizaRestTransport transport = new ElizaRestTransport(getEndpoint(), getEndpoint().connectionSettings(),
                    component.getRequestLanes(), component::continueOnWorker);
            transport.start();
            restTransport = transport;
            component.getRestTransports().add(transport);
            return;
        }
        connection = getEndpoint().acquireConnection();
        if (getEndpoint().getConfiguration().isTestConnectionOnStartup()) {
            // the strict start: up within connectTimeout, or the route does not start (with the reason)
            long timeout = getEndpoint().getConfiguration().getConnectTimeout();
            try {
                connection.awaitConnected(timeout).get(timeout + 5000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                getEndpoint().releaseConnection(connection);
                connection = null;
                Throwable cause = e instanceof ExecutionException ? ElizaConnection.unwrap(e.getCause()) : e;
                throw cause instanceof Exception ? (Exception) cause : e;
            }
        }
        // one check per producer: two producers of one channel must not replace each other's check; the number stays
        // with the producer's place in its route, so a restart of the route keeps the check's id
        healthCheck = ElizaProducerHealthCheck.register(this, component.isHealthCheckProducerEnabled(),
                () -> component.acquireProducerNumber(getEndpoint().getChannel(), routeId));
    }

    @Override
    protected void doStop() throws Exception {
        ElizaRestTransport transport = restTransport;
        if (transport != null) {
            getEndpoint().getComponent().getRestTransports().remove(transport);
            transport.stop();
            restTransport = null;
        }
        if (healthCheck != null) {
            healthCheck.unregister();
            getEndpoint().getComponent().releaseProducerNumber(healthCheck.getNumber());
            healthCheck = null;
        }
        if (connection != null) {
            getEndpoint().releaseConnection(connection);
            connection = null;
        }
        super.doStop();
    }

    /** The connection in use, or null while stopped. */
    public ElizaConnection getConnection() {
        return connection;
    }

    /** The id of the route that sends through this producer (Camel sets it before the start), null outside routes. */
    @Override
    public String getRouteId() {
        return routeId;
    }

    @Override
    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        // a request-reply deadline counts from here, not from when the request reaches the head of its lane
        long startedAt = System.currentTimeMillis();
        ElizaRestTransport transport = restTransport;
        if (transport != null) {
            return transport.process(exchange, callback, startedAt);
        }
        ElizaConnection current = connection;
        int attempt = ElizaRedeliveryState.redeliveryCounter(exchange);
        // what an earlier attempt of this very send left, when Camel redelivers it; any other send starts fresh
        ElizaRedeliveryState earlier = ElizaRedeliveryState.forRedelivery(exchange, stateKey, attempt);
        ElizaOutgoingMessage out;
        boolean requestReply;
        try {
            if (current == null) {
                throw new ElizaConnectionException("The Eliza producer of " + getEndpoint().getChannel()
                                                   + " is not started");
            }
            out = ElizaMessageBuilder.build(getEndpoint(), exchange, earlier != null ? earlier.unconfirmedId() : null);
            // after the build: the agent may be named by this message's headers, not by the endpoint
            requestReply = isRequestReply(getEndpoint().getConfiguration().getRequestReply(), exchange.getPattern(),
                    out.agentId());
        } catch (Exception e) {
            // nothing sent: an earlier attempt's state is carried on for the next redelivery, if any
            ElizaRedeliveryState.store(exchange, stateKey,
                    ElizaRedeliveryState.afterFailure(earlier, exchange, attempt, false, startedAt, null, null));
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        AtomicReference<Map<String, Object>> acked = new AtomicReference<>();
        ElizaConfiguration config = getEndpoint().getConfiguration();
        ElizaStreamingReply streaming = requestReply && config.isStreaming()
                ? new ElizaStreamingReply(out.agentId(), out.channelId(), config.getReplyTimeout()) : null;
        CompletableFuture<?> result = !requestReply ? send(current, out, earlier)
                : streaming == null ? request(current, out, earlier, startedAt, acked, null)
                : streaming.follow(request(current, out, earlier, startedAt, acked, streaming));
        result.whenComplete((outcome, error) -> getEndpoint().getComponent().continueOnWorker(exchange, callback, () -> {
            if (error != null) {
                Throwable cause = ElizaConnection.unwrap(error);
                String asked = acked.get() != null ? ElizaProtocol.string(acked.get(), "messageId") : null;
                ElizaRedeliveryState.store(exchange, stateKey, ElizaRedeliveryState.afterFailure(
                        earlier, exchange, attempt, isOutcomeUnknown(cause), startedAt, out.clientMessageId(), asked));
                exchange.setException(translate(exchange, out, cause));
            } else {
                ElizaRedeliveryState.store(exchange, stateKey, null);
                complete(exchange, out, outcome);
            }
        }));
        return false;
    }

    /**
     * Whether a message waits for the agent's reply (see the requestReply option). With auto, a message for an agent
     * (the agentId option or the CamelElizaAgentId header) is a question whatever the exchange pattern: a route such
     * as {@code from("timer:t").to("eliza:support?agentId=...")} is InOnly, and would otherwise carry its own question
     * on as the "answer", where Camel's other chat producers return the answer. Without an agent the pattern decides.
     *
     * @param option  the requestReply option: auto, inOut, true or false
     * @param pattern the exchange's pattern
     * @param agentId the agent the message is for, null when none
     */
    static boolean isRequestReply(String option, ExchangePattern pattern, String agentId) {
        return switch (option) {
            case "true" -> true;
            case "false" -> false;
            case "inOut" -> pattern.isOutCapable();
            default -> agentId != null || pattern.isOutCapable();
        };
    }

    private CompletableFuture<Map<String, Object>> send(
            ElizaConnection current, ElizaOutgoingMessage out, ElizaRedeliveryState earlier) {
        ElizaConfiguration config = getEndpoint().getConfiguration();
        Long unconfirmedSince = earlier != null ? earlier.unconfirmedSince() : null;
        return current.awaitConnected(config.getConnectTimeout()).thenCompose(v -> unconfirmedSince == null
                ? current.send(out, config.getAckTimeout())
                : sendUnlessStored(current, out, unconfirmedSince));
    }

    /**
     * A redelivery after a send whose outcome is unknown: the server may have stored the message before the
     * connection dropped. Ask it (by client message id) before sending again, so redelivery does not duplicate it.
     */
    private CompletableFuture<Map<String, Object>> sendUnlessStored(
            ElizaConnection current, ElizaOutgoingMessage out, long unconfirmedSince) {
        long notBefore = searchFrom(unconfirmedSince);
        LOG.debug("Redelivery of message {} whose first send is unconfirmed: asking the server whether it stored it",
                out.clientMessageId());
        return current.rest().findByClientMessageId(out.channelId(), out.clientMessageId(), notBefore)
                .thenCompose(stored -> {
                    if (stored.isPresent()) {
                        LOG.info("Message {} was stored by the Eliza server before the connection dropped: not sent again",
                                out.clientMessageId());
                        Map<String, Object> ack = new LinkedHashMap<>();
                        ack.put("clientMessageId", out.clientMessageId());
                        ack.put("messageId", stored.get().get("id"));
                        ack.put("status", "already_stored");
                        return CompletableFuture.completedFuture(ack);
                    }
                    return current.send(out, getEndpoint().getConfiguration().getAckTimeout());
                });
    }

    /**
     * Request-reply: in the channel's lane, sends the message (unless a redelivery finds it stored already) and waits
     * for the agent's reply to it, all within replyTimeout from {@code startedAt}.
     */
    private CompletableFuture<ElizaReplyTracker.Reply> request(
            ElizaConnection current, ElizaOutgoingMessage out, ElizaRedeliveryState earlier, long startedAt,
            AtomicReference<Map<String, Object>> acked, ElizaStreamingReply streaming) {
        ElizaConfiguration config = getEndpoint().getConfiguration();
        Consumer<Map<String, Object>> onAck = streaming == null ? acked::set : ack -> {
            acked.set(ack);
            streaming.acked(ack);
        };
        ElizaStreamTracker.Feed feed = streaming != null ? streaming.feed() : null;
        long deadline = startedAt + config.getReplyTimeout();
        boolean exact = "exact".equals(config.getReplyMatching());
        Map<String, Object> joinPayload = joinPayload(out);
        String askedBefore = earlier != null ? earlier.requestMessageId() : null;
        Long unconfirmedSince = earlier != null ? earlier.unconfirmedSince() : null;
        // one lane per channel of a server, however the url is spelled
        String server = current.getSettings().displayUrl().replaceAll("/+$", "");
        String lane = out.channelId() + " on " + server;
        Supplier<Exception> gaveUp = () -> new ElizaReplyTracker.ReplyTimeoutException(
                "The request to channel " + out.channelId() + " waited behind earlier requests and was not sent");
        // a safety net only: the request's own timers end it (connect and join within connectTimeout each, the ack
        // within ackTimeout, the reply by the deadline)
        long overrun = 2 * config.getConnectTimeout() + config.getAckTimeout();
        return getEndpoint().getComponent().getRequestLanes().submit(lane, deadline, overrun, () -> {
            if (System.currentTimeMillis() >= deadline) {
                // the caller has given up: never send what nobody waits for
                return CompletableFuture.failedFuture(gaveUp.get());
            }
            if (askedBefore != null) {
                // a redelivery: the server stored the question before; wait for (or find) its answer, do not ask again
                return current.awaitReply(out.channelId(), askedBefore, out.agentId(), exact, joinPayload,
                        config.getConnectTimeout(), deadline);
            }
            if (unconfirmedSince != null) {
                // a redelivery after a send whose outcome is unknown: if the server stored the question, its answer
                // is awaited (or found); only a question it does not have is sent again
                return current.rest().findByClientMessageId(out.channelId(), out.clientMessageId(), searchFrom(unconfirmedSince))
                        .thenCompose(stored -> stored.isPresent()
                                ? current.awaitReply(out.channelId(), String.valueOf(stored.get().get("id")),
                                        out.agentId(), exact, joinPayload, config.getConnectTimeout(), deadline)
                                : current.request(out, joinPayload, config.getConnectTimeout(), config.getAckTimeout(),
                                        deadline, exact, onAck, feed));
            }
            return current.request(out, joinPayload, config.getConnectTimeout(), config.getAckTimeout(), deadline, exact,
                    onAck, feed);
        }, gaveUp);
    }

    /** Where the search for a message sent at {@code sentAt} starts: five minutes of slack for the clocks' difference. */
    private long searchFrom(long sentAt) {
        return sentAt - getEndpoint().getConfiguration().getAckTimeout() - 300_000L;
    }

    private Map<String, Object> joinPayload(ElizaOutgoingMessage out) {
        ElizaEndpoint endpoint = getEndpoint();
        return ElizaProtocol.joinPayload(out.channelId(), endpoint.getEntityId(), out.agentId(),
                endpoint.getConfiguration().getMessageServerId(), out.senderName());
    }

    @SuppressWarnings("unchecked")
    private void complete(Exchange exchange, ElizaOutgoingMessage out, Object outcome) {
        Message message = exchange.getMessage();
        if (outcome instanceof ElizaStreamingReply streamed) {
            streamed.handOver(message);
        } else if (outcome instanceof ElizaReplyTracker.Reply) {
            ElizaReplyTracker.Reply reply = (ElizaReplyTracker.Reply) outcome;
            // the reply is a new message: no header of the request may pass for one of the reply
            message.removeHeaders("CamelEliza*");
            if (reply.answered()) {
                ElizaMessageMapper.toMessage(message, ElizaEvents.MESSAGE_BROADCAST, reply.payload(),
                        getEndpoint().getConfiguration().getBodyType());
            } else {
                message.setBody(null);
                message.setHeader(ElizaConstants.NO_REPLY, true);
            }
            message.setHeader(ElizaConstants.IN_REPLY_TO, ElizaProtocol.string(reply.ack(), "messageId"));
        } else {
            message.setHeader(ElizaConstants.MESSAGE_ID, ElizaProtocol.string((Map<String, Object>) outcome, "messageId"));
        }
        message.setHeader(ElizaConstants.CLIENT_MESSAGE_ID, out.clientMessageId());
        message.setHeader(ElizaConstants.CHANNEL_ID, out.channelId());
        if (out.conversationKey() != null) {
            // the conversation the answer belongs to stays with it, as the memory id of Camel's other AI components
            message.setHeader(ElizaConstants.CONVERSATION_KEY, out.conversationKey());
        }
    }

    /** Sent, outcome unknown: the redelivery asks the server (by client message id) before sending again. */
    private static boolean isOutcomeUnknown(Throwable cause) {
        return cause instanceof ElizaUnacknowledgedException
               || cause instanceof TimeoutException && !(cause instanceof ElizaReplyTracker.ReplyTimeoutException);
    }

    private Exception translate(Exchange exchange, ElizaOutgoingMessage out, Throwable cause) {
        ElizaConfiguration config = getEndpoint().getConfiguration();
        if (cause instanceof ElizaReplyTracker.ReplyTimeoutException) {
            return new ExchangeTimedOutException(exchange, config.getReplyTimeout(),
                    cause.getMessage() + " within replyTimeout (" + config.getReplyTimeout() + " ms)");
        }
        if (cause instanceof TimeoutException) {
            return new ExchangeTimedOutException(
                    exchange, config.getAckTimeout(),
                    "No acknowledgement from the Eliza server for message " + out.clientMessageId()
                                                      + " in channel " + out.channelId()
                                                      + "; it may or may not have been stored");
        }
        return cause instanceof Exception ? (Exception) cause : new ElizaException(cause.getMessage(), cause);
    }
}
