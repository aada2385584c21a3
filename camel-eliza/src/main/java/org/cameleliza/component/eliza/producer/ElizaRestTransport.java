package org.cameleliza.component.eliza.producer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import okhttp3.OkHttpClient;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.Message;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConnectionSettings;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaEndpoint;
import org.cameleliza.component.eliza.ElizaException;
import org.cameleliza.component.eliza.ElizaInvalidMessageException;
import org.cameleliza.component.eliza.ElizaMessageRejectedException;
import org.cameleliza.component.eliza.ElizaTransportConfiguration;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;
import org.cameleliza.component.eliza.reply.ElizaRequestLanes;
import org.cameleliza.component.eliza.rest.ElizaRestBudget;
import org.cameleliza.component.eliza.rest.ElizaRestClient;
import org.cameleliza.component.eliza.rest.ElizaRestMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer with transport=http or sse: every message is one REST request (POST /api/messaging/channels/:id/messages,
 * elizaOS 1.7 and later) whose answer is the agent's answer to exactly that message; no Socket.IO connection. Before
 * the first message the server's version (unless configured) and message server id (unless configured) are read, and
 * before the first message to a channel its participants, once: the server hands the message to the channel's first
 * participant other than the sender, which must be the agent (a channel that does not exist yet is created by the post
 * itself with the agent). Requests to one channel run one at a time, in the component's request lanes, as the socket
 * transport's do: elizaOS 1.7 drops an answer when a newer message of the room arrived meanwhile.
 */
public final class ElizaRestTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaRestTransport.class);
    /** More channels than this checked: the cache starts again (each channel costs one request more). */
    private static final int MAX_CHANNELS_KNOWN = 10_000;

    /** Completes an exchange off the HTTP client's threads (the component's worker pool). */
    @FunctionalInterface
    public interface Completer {
        void complete(Exchange exchange, AsyncCallback callback, Runnable completion);
    }

    private final ElizaEndpoint endpoint;
    private final ElizaConnectionSettings settings;
    private final ElizaRequestLanes lanes;
    private final Completer completer;
    private final Map<String, CompletableFuture<Void>> channels = new ConcurrentHashMap<>();
    private OkHttpClient http;
    private ElizaRestClient rest;
    private ElizaRestMessages messages;
    private volatile CompletableFuture<String> serverInfo;

    public ElizaRestTransport(ElizaEndpoint endpoint, ElizaConnectionSettings settings, ElizaRequestLanes lanes,
                              Completer completer) {
        this.endpoint = endpoint;
        this.settings = settings;
        this.lanes = lanes;
        this.completer = completer;
    }

    /**
     * Creates the HTTP client and reads what the requests need from the server. A server known to be older than 1.7
     * fails the start; one that cannot be reached fails it with testConnectionOnStartup, else it is read again at the
     * first message.
     */
    public void start() throws Exception {
        http = settings.getHttpClientFactory().createClient(settings, endpoint.getCamelContext());
        rest = new ElizaRestClient(settings, http, Runnable::run);
        messages = new ElizaRestMessages(rest, settings);
        long timeout = endpoint.getConfiguration().getConnectTimeout();
        try {
            serverInfo().get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? ElizaConnection.unwrap(e.getCause()) : e;
            if (cause instanceof UnsupportedServerException || endpoint.getConfiguration().isTestConnectionOnStartup()) {
                stop();
                throw cause instanceof Exception ? (Exception) cause : e;
            }
            LOG.warn("Eliza producer of {} (transport={}): cannot read the server's version and message server id yet"
                     + " ({}); read again at the first message", endpoint.getChannel(), transport(), cause.getMessage());
        }
    }

    public void stop() {
        if (messages != null) {
            messages.close();
            messages = null;
        }
        if (http != null) {
            try {
                settings.getHttpClientFactory().release(http);
            } catch (RuntimeException e) {
                LOG.debug("Releasing the HTTP client of {}: {}", settings, e.getMessage());
            }
            http = null;
        }
    }

    /** http or sse. */
    public String transport() {
        return endpoint.getConfiguration().getTransport();
    }

    /** What this producer spent of the server's REST budget; null while stopped. */
    public ElizaRestBudget budget() {
        return rest != null ? rest.budget() : null;
    }

    public ElizaEndpoint getEndpoint() {
        return endpoint;
    }

    /** Sends the exchange's message and completes it with the agent's answer, on the component's worker. */
    public boolean process(Exchange exchange, AsyncCallback callback, long startedAt) {
        ElizaConfiguration config = endpoint.getConfiguration();
        ElizaRestMessages current = messages;
        ElizaOutgoingMessage out;
        try {
            if (current == null) {
                throw new ElizaException("The Eliza producer of " + endpoint.getChannel() + " is not started");
            }
            out = ElizaMessageBuilder.build(endpoint, exchange, null);
            requireRestable(out);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        long deadline = startedAt + config.getReplyTimeout();
        String lane = out.channelId() + " on " + settings.displayUrl().replaceAll("/+$", "");
        Supplier<Exception> gaveUp = () -> new TimeoutException(
                "The request to channel " + out.channelId() + " waited behind earlier requests and was not sent");
        CompletableFuture<Consumer<Message>> answered = new CompletableFuture<>();
        boolean sse = ElizaTransportConfiguration.SSE.equals(transport());
        lanes.<Void>submit(lane, deadline, config.getConnectTimeout() + 5000, () -> {
            if (System.currentTimeMillis() >= deadline) {
                return CompletableFuture.failedFuture(gaveUp.get());
            }
            return serverInfo().thenCompose(serverId -> ready(current, out.channelId(), out.agentId()).thenCompose(v -> {
                String json = ElizaProtocol.toJson(body(out, out.messageServerId(serverId)));
                long left = Math.max(1, deadline - System.currentTimeMillis());
                if (!sse) {
                    return current.postAndWait(out.channelId(), json, left).thenAccept(answer -> answered.complete(
                            ElizaHttpTransport.answer(answer, out, config.getBodyType(), settings.displayUrl())));
                }
                ElizaSseTransport stream = new ElizaSseTransport(exchange, out, config, answered);
                current.stream(out.channelId(), json, config.getReplyTimeout(), config.isStreaming() ? 0 : left, stream);
                return stream.ended();
            }));
        }, gaveUp).whenComplete((v, error) -> {
            if (error != null) {
                answered.completeExceptionally(error);
            }
        });
        answered.whenComplete((writer, error) -> completer.complete(exchange, callback, () -> {
            if (error != null) {
                exchange.setException(translate(exchange, ElizaConnection.unwrap(error)));
                return;
            }
            Message message = exchange.getMessage();
            // the answer is a new message: no header of the request may pass for one of the answer
            message.removeHeaders("CamelEliza*");
            writer.accept(message);
            message.setHeader(ElizaConstants.CLIENT_MESSAGE_ID, out.clientMessageId());
            message.setHeader(ElizaConstants.CHANNEL_ID, out.channelId());
        }));
        return false;
    }

    /** What the REST transports cannot send: a message for no agent, attachments (the server hands on the text only). */
    private void requireRestable(ElizaOutgoingMessage out) throws ElizaInvalidMessageException {
        if (out.agentId() == null) {
            throw new ElizaInvalidMessageException("transport=" + transport() + " sends every message to an agent: set"
                                                   + " the agentId option or the " + ElizaConstants.AGENT_ID + " header");
        }
        List<Object> attachments = out.fields().attachments();
        if (attachments != null && !attachments.isEmpty()) {
            throw new ElizaInvalidMessageException("transport=" + transport() + " cannot send attachments: elizaOS hands"
                                                   + " the agent the text only; send them with transport=socket");
        }
    }

    /** The request's body: the message, the transport, and the metadata that makes a new channel a DM with the agent. */
    private Map<String, Object> body(ElizaOutgoingMessage out, String messageServerId) {
        ElizaProtocol.Outgoing m = out.fields();
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (m.metadata() != null) {
            metadata.putAll(m.metadata());
        }
        metadata.put("isDm", true);
        metadata.put("channelType", "DM");
        metadata.put("targetUserId", m.agentId());
        metadata.put("targetAgentId", m.agentId());
        metadata.put("user_display_name", m.senderName());
        metadata.put("clientMessageId", m.clientMessageId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("author_id", m.senderId());
        body.put("content", m.text());
        body.put("message_server_id", messageServerId);
        body.put("source_type", m.source());
        body.put("transport", transport());
        body.put("metadata", metadata);
        return body;
    }

    /**
     * The message server id for the requests (the default one when the server has no other), after the version
     * check; read once, again after a failure.
     */
    private CompletableFuture<String> serverInfo() {
        CompletableFuture<String> known = serverInfo;
        if (known != null && !known.isCompletedExceptionally()) {
            return known;
        }
        ElizaServerVersion configured = settings.getServerVersion();
        CompletableFuture<ElizaServerVersion> version = configured != null
                ? CompletableFuture.completedFuture(configured)
                : rest.serverVersion().thenApply(v -> ElizaServerVersion.parse(v, "reported by /api/system/version"));
        String configuredId = endpoint.getConfiguration().getMessageServerId();
        CompletableFuture<String> read = version.thenCompose(v -> {
            if (v != null) {
                requireTransports(v);
                rest.useRoutesOf(v);
            }
            if (configuredId != null) {
                return CompletableFuture.completedFuture(configuredId);
            }
            return rest.currentMessageServerId().thenApply(server -> {
                if (!server.offered()) {
                    requireTransports(ElizaServerVersion.withoutMessageServerEndpoint());
                }
                return server.id() != null ? server.id() : ElizaConfiguration.DEFAULT_MESSAGE_SERVER_ID;
            });
        });
        serverInfo = read;
        return read;
    }

    private void requireTransports(ElizaServerVersion version) {
        if (!version.mayHaveMessageTransports()) {
            throw new CompletionException(new UnsupportedServerException(unsupported(transport(), version)));
        }
    }

    /**
     * The combinations of options the REST transports cannot work with, at endpoint creation: an unknown transport,
     * streaming with http, requestReply=false (every message is a request), a configured server older than 1.7.
     */
    public static void validate(ElizaConfiguration config) {
        String transport = config.getTransport();
        if (!List.of(ElizaTransportConfiguration.SOCKET, ElizaTransportConfiguration.HTTP, ElizaTransportConfiguration.SSE)
                .contains(transport)) {
            throw new IllegalArgumentException("Option transport must be one of socket, http, sse, but was: " + transport);
        }
        if (config.isStreaming() && ElizaTransportConfiguration.HTTP.equals(transport)) {
            throw new IllegalArgumentException("Option streaming=true needs transport=sse (or socket): transport=http"
                                               + " gets the whole answer in one HTTP answer");
        }
        if (!config.usesRestTransport()) {
            return;
        }
        if ("false".equals(config.getRequestReply())) {
            throw new IllegalArgumentException("Option transport=" + transport + " always returns the agent's answer: it"
                                               + " cannot post one-way (requestReply=false); use transport=socket");
        }
        ElizaServerVersion configured = ElizaServerVersion.configured(config.getServerVersion());
        if (configured != null && !configured.hasMessageTransports()) {
            throw new IllegalArgumentException(unsupported(transport, configured));
        }
    }

    /** The error for a server line without the transports. */
    public static String unsupported(String transport, ElizaServerVersion version) {
        return "Option transport=" + transport + " needs elizaOS 1.7 or later, but the server is " + version.text()
               + ": use transport=socket (the default)";
    }

    /**
     * Whether a message to the channel reaches the agent: its first participant other than this entity must be the
     * agent, or there must be none (a channel that does not exist yet is created by the post as a DM with the agent; a
     * channel of the sender alone gives the message to metadata.targetAgentId). One request per channel, kept.
     */
    private CompletableFuture<Void> ready(ElizaRestMessages current, String channelId, String agentId) {
        String key = channelId + "/" + agentId;
        CompletableFuture<Void> known = channels.get(key);
        if (known != null) {
            return known;
        }
        if (channels.size() >= MAX_CHANNELS_KNOWN) {
            channels.clear();
        }
        CompletableFuture<Void> check = current.participants(channelId).thenAccept(ids -> {
            String first = ids.stream().filter(id -> !id.equalsIgnoreCase(endpoint.getEntityId())).findFirst()
                    .orElse(null);
            if (first != null && !first.equalsIgnoreCase(agentId)) {
                throw new CompletionException(new ElizaMessageRejectedException(
                        "Channel " + channelId + " has participant " + first + " before agent " + agentId + ": elizaOS"
                                                                                + " hands a message posted with transport="
                                                                                + transport() + " to the channel's first"
                                                                                + " participant other than its sender."
                                                                                + " Talk to the agent in a channel of its"
                                                                                + " own (another channel, or the"
                                                                                + " CamelElizaConversationKey header), or"
                                                                                + " use transport=socket"));
            }
        });
        channels.put(key, check);
        check.whenComplete((v, error) -> {
            if (error != null && !(ElizaConnection.unwrap(error) instanceof ElizaMessageRejectedException)) {
                // a transient failure (rate limit, server down): asked again by the next message
                channels.remove(key, check);
            }
        });
        return check;
    }

    private Exception translate(Exchange exchange, Throwable cause) {
        long replyTimeout = endpoint.getConfiguration().getReplyTimeout();
        if (cause instanceof TimeoutException) {
            return new ExchangeTimedOutException(exchange, replyTimeout,
                    cause.getMessage() + " within replyTimeout (" + replyTimeout + " ms)");
        }
        return cause instanceof Exception ? (Exception) cause : new ElizaException(cause.getMessage(), cause);
    }

    /** The server is a line without the transports: the producer cannot work with it. */
    static final class UnsupportedServerException extends ElizaException {
        private static final long serialVersionUID = 1L;

        UnsupportedServerException(String message) {
            super(message);
        }
    }
}
