package org.cameleliza.component.eliza;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.AsyncEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.consumer.ElizaParticipant;
import org.cameleliza.component.eliza.producer.ElizaRestTransport;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.protocol.ElizaServerVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Send messages to elizaOS AI agents and receive the messages of a channel (room) over Socket.IO.
 */
@ManagedResource(description = "Managed Eliza endpoint")
@UriEndpoint(firstVersion = "0.1.0", scheme = "eliza", title = "Eliza", syntax = "eliza:channel",
             category = { Category.AI, Category.CHAT }, headersClass = ElizaConstants.class)
public class ElizaEndpoint extends DefaultEndpoint implements AsyncEndpoint, EndpointServiceLocation {

    /** A property placeholder left as written: Spring's ${KEY}, Camel's {{KEY}}. */
    private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{[^}]+}|\\{\\{[^}]+}}");

    private static final Logger LOG = LoggerFactory.getLogger(ElizaEndpoint.class);

    @UriPath(description = "The channel (room): a UUID, used as is, or a name, mapped to a stable name-based UUID so"
                           + " that the same name is the same channel in every application and after every restart.")
    @Metadata(required = true)
    private String channel;
    @UriParam
    private ElizaConfiguration configuration;

    private String channelId;
    private String entityId;
    private volatile ElizaConnectionSettings connectionSettings;
    private IdempotentRepository defaultIdempotentRepository;
    private StateRepository<String, String> defaultStateRepository;

    public ElizaEndpoint(String uri, ElizaComponent component, ElizaConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    /**
     * Checks every option and resolves the channel and entity ids, so that bad input fails at endpoint creation with a
     * message that names the option.
     */
    void validate() {
        channelId = ElizaIds.channelId(channel);
        ElizaIds.requireUuid(configuration.getAgentId(), "agentId");
        configuration.setMessageServerId(ElizaIds.requireUuid(configuration.getMessageServerId(), "messageServerId"));
        configuration.setAgentId(ElizaIds.requireUuid(configuration.getAgentId(), "agentId"));
        if (configuration.getEntityId() != null) {
            entityId = ElizaIds.requireUuid(configuration.getEntityId(), "entityId");
        } else {
            entityId = ElizaIds.defaultEntityId(getCamelContext().getName(), configuration.getSenderName());
        }
        validateUrl(configuration.getUrl());
        requirePositive(configuration.getAckTimeout(), "ackTimeout");
        requirePositive(configuration.getReplyTimeout(), "replyTimeout");
        requirePositive(configuration.getDuplicateCacheSize(), "duplicateCacheSize");
        ElizaEvents.parse(configuration.getEvents());
        ElizaServerVersion.configured(configuration.getServerVersion());
        if (configuration.isAgentMessagesOnly() && configuration.getAgentId() == null) {
            throw new IllegalArgumentException("Option agentMessagesOnly needs the agentId option: whose messages to keep");
        }
        ElizaParticipant.validate(configuration);
        ElizaRestTransport.validate(configuration);
        if (configuration.getBodyType() == null) {
            throw new IllegalArgumentException("Option bodyType must be one of text, map, json");
        }
        requirePositive(configuration.getConnectTimeout(), "connectTimeout");
        requirePositive(configuration.getMaxMessageSize(), "maxMessageSize");
        configuration.setApiKey(secretOrNull(configuration.getApiKey(), "apiKey"));
        configuration.setAuthToken(secretOrNull(configuration.getAuthToken(), "authToken"));
        requirePositive(configuration.getReconnectInitialDelay(), "reconnectInitialDelay");
        requirePositive(configuration.getReconnectMaxDelay(), "reconnectMaxDelay");
        requirePositive(configuration.getGapRecoveryMaxMessages(), "gapRecoveryMaxMessages");
        requirePositive(configuration.getQueueSize(), "queueSize");
        String requestReply = configuration.getRequestReply();
        if (!"auto".equals(requestReply) && !"inOut".equals(requestReply) && !"true".equals(requestReply)
                && !"false".equals(requestReply)) {
            throw new IllegalArgumentException("Option requestReply must be one of auto, inOut, true, false, but was: "
                                               + requestReply);
        }
        String replyMatching = configuration.getReplyMatching();
        if (!"exact".equals(replyMatching) && !"position".equals(replyMatching)) {
            throw new IllegalArgumentException("Option replyMatching must be one of exact, position, but was: " + replyMatching);
        }
        if (configuration.getAuthToken() != null && (configuration.getAuthTokenFile() != null
                || configuration.getAuthTokenSupplier() != null)) {
            throw new IllegalArgumentException(
                    "Option authToken, authTokenFile and authTokenSupplier exclude each other: set one of them");
        }
        if (configuration.getMaxReconnectAttempts() < 0) {
            throw new IllegalArgumentException("Option maxReconnectAttempts must be 0 (forever) or more, but was: "
                                               + configuration.getMaxReconnectAttempts());
        }
    }

    private static void validateUrl(String url) {
        URI uri;
        try {
            uri = url != null ? URI.create(url) : null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Option url is not a valid URL: " + e.getMessage(), e);
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("Option url must be an http:// or https:// URL of the Eliza server, but was: "
                                               + url);
        }
    }

    /**
     * A secret option: empty is none (an unset environment variable behind {@code {{env:KEY:}}}); a value that is a
     * property placeholder nobody resolved (Spring's {@code ${KEY}} left as it is) is refused, where it would be sent
     * as the key and refused by the server much later. The value itself is never shown.
     */
    private static String secretOrNull(String value, String option) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (UNRESOLVED_PLACEHOLDER.matcher(value).matches()) {
            throw new IllegalArgumentException("Option " + option + " is a property placeholder that was not resolved"
                                               + " (${...} or {{...}}): set the property or the environment variable,"
                                               + " or give it an empty default, e.g. ${ELIZA_API_KEY:}");
        }
        return value;
    }

    private static void requirePositive(long value, String option) {
        if (value <= 0) {
            throw new IllegalArgumentException("Option " + option + " must be greater than 0, but was: " + value);
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        LOG.info("Eliza endpoint: channel '{}' is channel id {}, acting as entity {} on {}", channel, channelId, entityId,
                getServiceUrl());
    }

    @Override
    public Producer createProducer() throws Exception {
        if (configuration.isReply()) {
            throw new IllegalArgumentException("Option reply is for consumers (from): it makes a route answer the messages"
                                               + " it receives; a producer (to) posts anyway, leave reply off there");
        }
        return new ElizaProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (configuration.usesRestTransport()) {
            throw new IllegalArgumentException("Option transport=" + configuration.getTransport() + " is for producers"
                                               + " (to): a consumer receives the channel's messages over Socket.IO");
        }
        ElizaConsumer consumer = new ElizaConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public ElizaComponent getComponent() {
        return (ElizaComponent) super.getComponent();
    }

    ElizaConnection acquireConnection() throws Exception {
        return getComponent().getConnectionManager().acquire(connectionSettings(), getCamelContext());
    }

    void releaseConnection(ElizaConnection connection) {
        getComponent().getConnectionManager().release(connection);
    }

    /**
     * The in-memory repository of the delivered message ids, when the idempotentRepository option names none. The
     * endpoint's, not the consumer's: Camel may create a new consumer when a route starts again, and the repository
     * must survive that.
     */
    synchronized IdempotentRepository defaultIdempotentRepository() {
        if (defaultIdempotentRepository == null) {
            defaultIdempotentRepository = MemoryIdempotentRepository.memoryIdempotentRepository(
                    configuration.getDuplicateCacheSize());
        }
        return defaultIdempotentRepository;
    }

    /**
     * The in-memory repository of the consumer's watermark, when the stateRepository option names none: the
     * endpoint's, so that it survives a route restart (Camel may create a new consumer then).
     */
    synchronized StateRepository<String, String> defaultStateRepository() {
        if (defaultStateRepository == null) {
            defaultStateRepository = new MemoryStateRepository();
        }
        return defaultStateRepository;
    }

    /**
     * The key of a consumer's place in the state repository: its route and its channel on its server. Per route, so
     * that two routes consuming one channel each get everything, even from one shared repository; the same route of
     * another instance of the application (scaling out) finds the place this one left.
     */
    String consumerStateKey(String routeId) {
        return "eliza:" + routeId + ":" + channelId + "@" + getServiceUrl();
    }

    /** What defines this endpoint's connection; endpoints with equal settings share one. */
    ElizaConnectionSettings connectionSettings() {
        ElizaConnectionSettings settings = connectionSettings;
        if (settings == null) {
            SSLContextParameters ssl = configuration.getSslContextParameters();
            if (ssl == null && getComponent().isUseGlobalSslContextParameters()) {
                ssl = getComponent().retrieveGlobalSslContextParameters();
            }
            settings = new ElizaConnectionSettings(configuration.getUrl(), entityId, configuration, ssl,
                    getComponent().httpClientFactoryFor(configuration));
            connectionSettings = settings;
        }
        return settings;
    }

    /** The ROOM_JOINING payload for this endpoint's channel. */
    Map<String, Object> joinPayload() {
        return ElizaProtocol.joinPayload(channelId, entityId, configuration.getAgentId(),
                configuration.getMessageServerId(), configuration.getSenderName());
    }

    @Override
    public String getServiceUrl() {
        return withoutUserInfo(configuration.getUrl());
    }

    /** The url without user info (user:password@), which must never reach a log or a health check. */
    static String withoutUserInfo(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath(), null, null).toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return "(invalid url)";
        }
    }

    @Override
    public String getServiceProtocol() {
        return "socket.io";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("channelId", channelId);
        metadata.put("entityId", entityId);
        return metadata;
    }

    public String getChannel() {
        return channel;
    }

    /**
     * The channel (room): a UUID, or a name mapped to a stable UUID.
     */
    public void setChannel(String channel) {
        this.channel = channel;
    }

    public ElizaConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The endpoint's configuration.
     */
    public void setConfiguration(ElizaConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The connection this endpoint uses now, or null when none of its consumers or producers runs. */
    ElizaConnection currentConnection() {
        return getComponent().getConnectionManager().find(connectionSettings());
    }

    @ManagedAttribute(description = "The state of the Socket.IO connection: CONNECTING, CONNECTED, DISCONNECTED,"
                                    + " REJECTED, FAILED, CLOSED, or NONE while nothing uses it")
    public String getConnectionState() {
        ElizaConnection connection = currentConnection();
        return connection != null ? connection.getState().name() : "NONE";
    }

    @ManagedAttribute(description = "Whether the server confirmed the join of this endpoint's channel on the current"
                                    + " connection (consumers and request-reply join it)")
    public boolean isChannelJoined() {
        ElizaConnection connection = currentConnection();
        return connection != null && connection.isJoined(channelId);
    }

    @ManagedAttribute(description = "The last connection error (never holds credentials)")
    public String getConnectionLastError() {
        ElizaConnection connection = currentConnection();
        return connection != null ? connection.getLastError() : null;
    }

    @ManagedAttribute(description = "How many times the connection tried to connect")
    public int getConnectAttempts() {
        ElizaConnection connection = currentConnection();
        return connection != null ? connection.getConnectAttempts() : 0;
    }

    @ManagedAttribute(description = "How many times the connection was lost after it was up")
    public int getDisconnects() {
        ElizaConnection connection = currentConnection();
        return connection != null ? connection.getDisconnects() : 0;
    }

    @ManagedAttribute(description = "The elizaOS version of the server as read at connect (e.g. 1.4.2), or the line"
                                    + " inferred from its REST routes (e.g. 1.6 or later); null before the first connect")
    public String getServerVersion() {
        ElizaConnection connection = currentConnection();
        return connection != null ? connection.getServerVersion() : null;
    }

    /** The resolved channel id (a UUID). */
    @ManagedAttribute(description = "The channel id (a UUID)")
    public String getChannelId() {
        return channelId;
    }

    /** The resolved entity id (a UUID) this endpoint acts as. */
    @ManagedAttribute(description = "The entity id (a UUID) this endpoint acts as")
    public String getEntityId() {
        return entityId;
    }
}
