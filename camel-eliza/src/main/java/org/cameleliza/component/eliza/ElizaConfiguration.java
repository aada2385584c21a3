package org.cameleliza.component.eliza;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of an Eliza endpoint. The component holds one instance as defaults; each endpoint gets a copy.
 */
@UriParams
public class ElizaConfiguration implements Cloneable {

    /** The message server every elizaOS server creates at first start. */
    public static final String DEFAULT_MESSAGE_SERVER_ID = "00000000-0000-0000-0000-000000000000";

    @UriParam(defaultValue = "http://localhost:3000")
    private String url = "http://localhost:3000";
    @UriParam
    private String entityId;
    @UriParam(defaultValue = "Camel")
    private String senderName = "Camel";
    @UriParam
    private String agentId;
    @UriParam(defaultValue = DEFAULT_MESSAGE_SERVER_ID)
    private String messageServerId = DEFAULT_MESSAGE_SERVER_ID;
    @UriParam(label = "security", secret = true)
    private String apiKey;
    @UriParam(label = "producer", defaultValue = "camel")
    private String source = "camel";
    @UriParam(label = "producer", defaultValue = "10000")
    private long ackTimeout = 10000;
    @UriParam(label = "producer", defaultValue = "1000000")
    private int maxMessageSize = 1_000_000;
    @UriParam(label = "advanced", defaultValue = "10000")
    private long connectTimeout = 10000;
    @UriParam(defaultValue = "text")
    private ElizaBodyType bodyType = ElizaBodyType.text;
    @UriParam(label = "consumer", defaultValue = ElizaEvents.DEFAULT)
    private String events = ElizaEvents.DEFAULT;
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean includeOwnMessages;
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean agentMessagesOnly;
    @UriParam(label = "consumer,advanced", defaultValue = "10000")
    private int duplicateCacheSize = 10000;
    @UriParam(label = "producer", defaultValue = "60000")
    private long replyTimeout = 60000;

    public String getUrl() {
        return url;
    }

    /**
     * The URL of the elizaOS server (http or https). Socket.IO connects to its /socket.io path.
     */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getEntityId() {
        return entityId;
    }

    /**
     * The entity id (a UUID) this client acts as: it is sent in the Socket.IO handshake (required by elizaOS 1.6 and
     * later) and as the sender of every message. When unset, a stable id is derived from the CamelContext name and the
     * sender name, so it is the same after every restart; set it explicitly when several applications share a
     * channel.
     */
    public void setEntityId(String entityId) {
        this.entityId = entityId;
    }

    public String getSenderName() {
        return senderName;
    }

    /**
     * The display name of this client in the channel.
     */
    public void setSenderName(String senderName) {
        this.senderName = senderName;
    }

    public String getAgentId() {
        return agentId;
    }

    /**
     * The id (a UUID) of the agent to talk to. When set, the producer opens the channel as a direct-message channel
     * with the agent as a participant: an elizaOS agent answers only in channels where it is a participant.
     */
    public void setAgentId(String agentId) {
        this.agentId = agentId;
    }

    public String getMessageServerId() {
        return messageServerId;
    }

    /**
     * The id (a UUID) of the message server (world) the channel belongs to. The default is the server every elizaOS
     * installation creates.
     */
    public void setMessageServerId(String messageServerId) {
        this.messageServerId = messageServerId;
    }

    public String getApiKey() {
        return apiKey;
    }

    /**
     * The API key of the elizaOS server (its SERVER_API_KEY setting), sent in the Socket.IO handshake and as the
     * x-api-key header. Never logged.
     */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getSource() {
        return source;
    }

    /**
     * The source the producer's messages are tagged with on the server.
     */
    public void setSource(String source) {
        this.source = source;
    }

    public long getAckTimeout() {
        return ackTimeout;
    }

    /**
     * How long, in milliseconds, the producer waits for the server to acknowledge a message before it fails the
     * exchange with an ExchangeTimedOutException.
     */
    public void setAckTimeout(long ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public int getMaxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The largest Socket.IO packet, in bytes, the producer sends. The elizaOS server drops the whole connection (and
     * every message in flight on it) when a packet exceeds its limit of 1,000,000 bytes, so a larger message is
     * refused before it is sent.
     */
    public void setMaxMessageSize(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * How long, in milliseconds, to wait for the connection to the server (and the channel join): a consumer that is
     * not connected by then fails to start, a producer fails the exchange.
     */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public ElizaBodyType getBodyType() {
        return bodyType;
    }

    /**
     * What the body holds, for the consumer's exchanges and for the reply of a request-reply (InOut) producer: text (the
     * message text), map (the whole event payload as a Map) or json (the payload as a JSON string).
     */
    public void setBodyType(ElizaBodyType bodyType) {
        this.bodyType = bodyType;
    }

    public String getEvents() {
        return events;
    }

    /**
     * The server events the consumer turns into exchanges, comma separated: messageBroadcast (the default),
     * messageComplete, controlMessage, messageStreamChunk, messageStreamError, messageDeleted, channelCleared,
     * channelDeleted, channelUpdated, messageError. Only events of the endpoint's channel are delivered (messageError
     * names no channel: the consumers of the connection receive the errors no sent message claims). The header
     * CamelElizaEvent names the event.
     */
    public void setEvents(String events) {
        this.events = events;
    }

    public boolean isIncludeOwnMessages() {
        return includeOwnMessages;
    }

    /**
     * Whether the consumer also delivers the messages its own entity sent (the server echoes every message to its
     * sender). Off by default, so a route that both sends to and listens on a channel does not receive its own
     * messages.
     */
    public void setIncludeOwnMessages(boolean includeOwnMessages) {
        this.includeOwnMessages = includeOwnMessages;
    }

    public boolean isAgentMessagesOnly() {
        return agentMessagesOnly;
    }

    /**
     * Whether the consumer delivers only the messages of the agent (sender = agentId, which must be set): the agent's
     * answers, without the questions of other users.
     */
    public void setAgentMessagesOnly(boolean agentMessagesOnly) {
        this.agentMessagesOnly = agentMessagesOnly;
    }

    public int getDuplicateCacheSize() {
        return duplicateCacheSize;
    }

    /**
     * How many recent message ids each consumer remembers, so that a message the server sends again (echo, reconnect,
     * history replay) is delivered at most once.
     */
    public void setDuplicateCacheSize(int duplicateCacheSize) {
        this.duplicateCacheSize = duplicateCacheSize;
    }

    public long getReplyTimeout() {
        return replyTimeout;
    }

    /**
     * For request-reply (InOut) exchanges: how long, in milliseconds after the server acknowledged the message, the
     * producer waits for the agent's reply before it fails the exchange with an ExchangeTimedOutException.
     */
    public void setReplyTimeout(long replyTimeout) {
        this.replyTimeout = replyTimeout;
    }

    public ElizaConfiguration copy() {
        try {
            return (ElizaConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
