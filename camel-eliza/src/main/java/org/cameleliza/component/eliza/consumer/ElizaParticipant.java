package org.cameleliza.component.eliza.consumer;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cameleliza.component.eliza.ElizaBodyType;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConnectionException;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer that takes part in its room ({@code reply=true}): it routes the messages it may answer, and posts the
 * route's result into the channel as the answer to the message received. Wraps the route's processor in the consumer's
 * routing loop, so the consumer's ordering, backpressure and shutdown drain hold as they are: the next message is routed
 * once the answer to this one is stored (or failed). A failed post is the exchange's exception, which the routing loop
 * hands to the consumer's ExceptionHandler as any failed exchange.
 * <p>
 * How an answer is posted (over the consumer's Socket.IO connection by default, no REST request) is
 * {@link ElizaAnswerPost}'s.
 * <p>
 * Loops: the answers are posted with the source {@link #SOURCE}, so that participants recognise each other's answers,
 * and never answer their own messages nor, unless {@code replyToAgents}, an agent's or another participant's.
 */
public final class ElizaParticipant extends AsyncProcessorSupport {

    /** The source a participant's answers are stored and broadcast with. */
    public static final String SOURCE = "camel_reply";
    /** The source elizaOS gives an agent's answers. */
    static final String AGENT_SOURCE = "agent_response";

    private static final Logger LOG = LoggerFactory.getLogger(ElizaParticipant.class);

    private final ElizaEndpoint endpoint;
    private final AsyncProcessor route;
    private final Supplier<ElizaConnection> connection;
    private final Supplier<ExecutorService> consumerThread;
    private final AtomicInteger posting = new AtomicInteger();
    private final ElizaAnswerPost post;

    /**
     * {@code route} is the consumer's processor; {@code connection} and {@code consumerThread} give the current run's
     * connection and thread (null while stopped).
     */
    public ElizaParticipant(ElizaEndpoint endpoint, AsyncProcessor route, Supplier<ElizaConnection> connection,
                            Supplier<ExecutorService> consumerThread) {
        this.endpoint = endpoint;
        this.route = route;
        this.connection = connection;
        this.consumerThread = consumerThread;
        this.post = new ElizaAnswerPost(endpoint);
    }

    /** Checks the reply options together, at endpoint creation. */
    public static void validate(ElizaConfiguration config) {
        String filter = config.getReplyFilter();
        if (!"all".equals(filter) && !"mentions".equals(filter) && !"addressed".equals(filter)) {
            throw new IllegalArgumentException("Option replyFilter must be one of all, mentions, addressed, but was: "
                                               + filter);
        }
        if (!config.isReply()) {
            if (config.isReplyToAgents() || !"all".equals(filter)) {
                throw new IllegalArgumentException("Option " + (config.isReplyToAgents() ? "replyToAgents" : "replyFilter")
                                                   + " needs reply=true: it chooses what a participant answers");
            }
            if (!"socket".equals(config.getReplyVia())) {
                throw new IllegalArgumentException("Option replyVia needs reply=true: it chooses how a participant answers");
            }
            return;
        }
        if (!"socket".equals(config.getReplyVia()) && !"rest".equals(config.getReplyVia())) {
            throw new IllegalArgumentException("Option replyVia must be socket or rest, but was: " + config.getReplyVia());
        }
        if (!ElizaEvents.parse(config.getEvents()).contains(ElizaEvents.MESSAGE_BROADCAST)) {
            throw new IllegalArgumentException("Option events must include " + ElizaEvents.MESSAGE_BROADCAST
                                               + " with reply=true (a participant answers messages), but was: "
                                               + config.getEvents());
        }
        if (config.isAgentMessagesOnly() && !config.isReplyToAgents()) {
            throw new IllegalArgumentException("Option agentMessagesOnly with reply=true needs replyToAgents=true: the"
                                               + " route would receive only the agent's messages, which a participant"
                                               + " answers only with replyToAgents");
        }
    }

    /** Answers being posted: pending work for the graceful shutdown, as the queued messages are. */
    public int pending() {
        return posting.get();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message in = exchange.getMessage();
        String event = in.getHeader(ElizaConstants.EVENT, String.class);
        if (!ElizaEvents.MESSAGE_BROADCAST.equals(event)) {
            // channel events (cleared, deleted...) reach the route as they do without reply; they are not answered
            return route.process(exchange, callback);
        }
        String questionId = in.getHeader(ElizaConstants.MESSAGE_ID, String.class);
        ElizaConfiguration config = endpoint.getConfiguration();
        if (!answers(config, endpoint.getEntityId(), in.getHeader(ElizaConstants.SENDER_ID, String.class),
                in.getHeader(ElizaConstants.SOURCE, String.class), textOf(in))) {
            LOG.debug("Message {} is not for this participant: not routed", questionId);
            callback.done(true);
            return true;
        }
        // what the route must not change: where and in which world the answer goes
        String channelId = endpoint.getChannelId();
        String serverId = in.getHeader(ElizaConstants.MESSAGE_SERVER_ID, String.class);
        boolean sync = route.process(exchange, doneSync -> {
            if (!doneSync) {
                answer(exchange, questionId, serverId, channelId, callback, false);
            }
        });
        return sync && answer(exchange, questionId, serverId, channelId, callback, true);
    }

    /**
     * Whether a participant answers a message: never its own; an agent's ({@link #AGENT_SOURCE} or the endpoint's
     * agentId) or another participant's ({@link #SOURCE}) only with replyToAgents; then as replyFilter says.
     */
    static boolean answers(ElizaConfiguration config, String entityId, String sender, String source, String text) {
        if (sender == null || sender.equalsIgnoreCase(entityId)) {
            return false;
        }
        boolean bot = AGENT_SOURCE.equals(source) || SOURCE.equals(source)
                      || sender.equalsIgnoreCase(config.getAgentId());
        if (bot && !config.isReplyToAgents()) {
            return false;
        }
        return switch (config.getReplyFilter()) {
            case "mentions" -> mentions(text, config.getSenderName())
                               || text != null && text.toLowerCase(Locale.ROOT).contains(entityId.toLowerCase(Locale.ROOT));
            case "addressed" -> text != null && startsWithMention(text.strip(), config.getSenderName());
            default -> true;
        };
    }

    /** Whether {@code @name} stands anywhere in the text as a word of its own (case-insensitive). */
    static boolean mentions(String text, String name) {
        if (text == null || name == null || name.isEmpty()) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String mention = "@" + name.toLowerCase(Locale.ROOT);
        for (int at = lower.indexOf(mention); at >= 0; at = lower.indexOf(mention, at + 1)) {
            if (startsWithMention(lower.substring(at), name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text starts with {@code @name}, not followed by a letter or digit ("@Desk," but not "@Desktop"). */
    private static boolean startsWithMention(String text, String name) {
        if (name == null || name.isEmpty() || !text.regionMatches(true, 0, "@" + name, 0, name.length() + 1)) {
            return false;
        }
        int end = name.length() + 1;
        return end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
    }

    /** The received message's text, whatever the bodyType, read before the route may change the body. */
    private String textOf(Message in) {
        Object body = in.getBody();
        if (body instanceof Map<?, ?> map) {
            Object text = map.get("text");
            return text != null ? text.toString() : null;
        }
        if (body instanceof String json && endpoint.getConfiguration().getBodyType() == ElizaBodyType.json) {
            return ElizaProtocol.string(ElizaProtocol.parse(json), "text");
        }
        return body != null ? body.toString() : null;
    }

    /**
     * Posts the route's result, if it has one. Returns true when the exchange ended here, synchronously (no answer to
     * post); otherwise the callback is called later, on the consumer's thread, with the post's outcome.
     */
    private boolean answer(Exchange exchange, String questionId, String serverId, String channelId,
                           AsyncCallback callback, boolean sync) {
        String text = exchange.getException() == null ? exchange.getMessage().getBody(String.class) : null;
        if (text == null || text.isBlank() || questionId == null) {
            // a failed route, or no answer: the routing loop reports or records the exchange as without reply
            callback.done(sync);
            return sync;
        }
        posting.incrementAndGet();
        CompletableFuture<String> posted;
        ElizaConnection current = connection.get();
        if (current == null) {
            posted = CompletableFuture.failedFuture(new ElizaConnectionException("The consumer stopped"));
        } else {
            posted = post.post(current, channelId, serverId, questionId, text);
        }
        posted.whenComplete((id, error) -> onConsumerThread(() -> {
            posting.decrementAndGet();
            if (error != null) {
                Throwable cause = ElizaConnection.unwrap(error);
                exchange.setException(new ElizaException("Cannot post the answer to message " + questionId
                                                         + " in channel " + channelId + ": " + cause.getMessage(),
                        cause));
            } else {
                LOG.debug("Answered message {} with message {}", questionId, id);
            }
            callback.done(false);
        }));
        return false;
    }

    /**
     * The post completes on the connection's thread, which must never run the routing loop's work (repositories, the
     * ExceptionHandler): back to the consumer's thread, or, once that is shut down, a thread of the common pool.
     */
    private void onConsumerThread(Runnable task) {
        ExecutorService current = consumerThread.get();
        try {
            if (current == null) {
                throw new RejectedExecutionException("stopped");
            }
            current.execute(task);
        } catch (RejectedExecutionException stopped) {
            CompletableFuture.runAsync(task);
        }
    }
}
