package org.cameleliza.component.eliza;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.cameleliza.component.eliza.protocol.ElizaEvents;

/**
 * The options of an Eliza endpoint. The component holds one instance as defaults; each endpoint gets a copy. The
 * options of the connection to the server are those of {@link ElizaConnectionConfiguration}, those of a consumer that
 * answers in the room those of {@link ElizaParticipantConfiguration}, the producer's transport those of
 * {@link ElizaTransportConfiguration}; this class adds who the client is in the conversation, what the consumer
 * delivers and how the producer sends.
 */
@UriParams
public class ElizaConfiguration extends ElizaTransportConfiguration {

    /** The message server every elizaOS server creates at first start. */
    public static final String DEFAULT_MESSAGE_SERVER_ID = "00000000-0000-0000-0000-000000000000";

    @UriParam
    private String entityId;
    @UriParam(defaultValue = "Camel")
    private String senderName = "Camel";
    @UriParam
    private String agentId;
    @UriParam
    private String messageServerId;
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean gapRecovery = true;
    @UriParam(label = "consumer,advanced", defaultValue = "1000")
    private int gapRecoveryMaxMessages = 1000;
    @UriParam(label = "producer", defaultValue = "camel")
    private String source = "camel";
    @UriParam(label = "producer", defaultValue = "10000")
    private long ackTimeout = 10000;
    @UriParam(label = "producer", defaultValue = "1000000")
    private int maxMessageSize = 1_000_000;
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
    @UriParam(label = "producer", defaultValue = "auto", enums = "auto,inOut,true,false")
    private String requestReply = "auto";
    @UriParam(label = "producer,advanced", defaultValue = "exact", enums = "exact,position")
    private String replyMatching = "exact";
    @UriParam(label = "consumer", defaultValue = "1000")
    private int queueSize = 1000;
    @UriParam(label = "consumer,advanced")
    private IdempotentRepository idempotentRepository;
    @UriParam(label = "consumer,advanced")
    private StateRepository<String, String> stateRepository;

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

    /** The display name of this client in the channel. */
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
     * The id (a UUID) of the message server (world) the channel belongs to. When unset, it is read from the server
     * (GET /api/messaging/message-server/current, elizaOS 1.6 and later; with data isolation it is a random id per
     * deployment), or is 00000000-0000-0000-0000-000000000000, the server every elizaOS installation creates, when the
     * server does not have that endpoint.
     */
    public void setMessageServerId(String messageServerId) {
        this.messageServerId = messageServerId;
    }

    public boolean isGapRecovery() {
        return gapRecovery;
    }

    /**
     * Whether the consumer, after a reconnect, fetches over REST what was posted to its channel while it was away
     * (GET /api/messaging/channels/:id/messages) and delivers it, in order and before newer live messages, each message
     * once.
     */
    public void setGapRecovery(boolean gapRecovery) {
        this.gapRecovery = gapRecovery;
    }

    public int getGapRecoveryMaxMessages() {
        return gapRecoveryMaxMessages;
    }

    /** The most messages one gap recovery fetches; older ones are reported as lost to the ExceptionHandler. */
    public void setGapRecoveryMaxMessages(int gapRecoveryMaxMessages) {
        this.gapRecoveryMaxMessages = gapRecoveryMaxMessages;
    }

    public String getSource() {
        return source;
    }

    /** The source the producer's messages are tagged with on the server. */
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

    public ElizaBodyType getBodyType() {
        return bodyType;
    }

    /**
     * What the body holds, for the consumer's exchanges and for the reply of a request-reply producer: text (the
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
     * For request-reply exchanges: how long, in milliseconds from when the exchange reached the producer, it may take
     * to get the agent's reply, waiting behind earlier requests to the same channel included. Then the exchange fails
     * with an ExchangeTimedOutException; a request still waiting for its turn by then is never sent.
     */
    public void setReplyTimeout(long replyTimeout) {
        this.replyTimeout = replyTimeout;
    }

    public String getRequestReply() {
        return requestReply;
    }

    /**
     * Whether the producer waits for the agent's reply and returns it as the exchange's message (body and headers);
     * the exchange pattern is left as it is. auto: when the message is for an agent (the agentId option or the
     * CamelElizaAgentId header names one; CamelElizaConversationKey needs one of them), whatever the exchange pattern,
     * so that asking an agent from an InOnly route (a timer, Kafka, files) returns its answer, as Camel's other AI chat
     * producers do; a message for no agent waits only when the exchange is InOut. inOut: only when the exchange is
     * InOut, agent or not (the eliza-sink Kamelet's default). true: always. false: never, to post one-way (a consumer
     * of the channel takes the answers): the exchange completes when the server acknowledged the message, its body
     * still the message sent, with CamelElizaMessageId set, also when it arrives InOut from platform-http or JMS.
     */
    public void setRequestReply(String requestReply) {
        this.requestReply = requestReply;
    }

    public String getReplyMatching() {
        return replyMatching;
    }

    /**
     * How request-reply recognises the agent's reply. exact: the reply must answer this very message. The agent's next
     * message is taken by position, with no REST request, wherever nothing else could pass for it; where something
     * could (someone else wrote in the channel, an earlier request timed out while its answer may still come, a
     * reconnect, the first answer of a conversation), it is read back over REST, where the server records what it
     * answers (elizaOS allows a client address 1000 REST requests per 15 minutes, its agents' own included). position:
     * always the agent's next message after the acknowledgement, never a REST read, for a channel nobody else writes to
     * and an agent that answers each message once.
     */
    public void setReplyMatching(String replyMatching) {
        this.replyMatching = replyMatching;
    }

    public int getQueueSize() {
        return queueSize;
    }

    /**
     * How many received messages the consumer holds while its route is busy. When the queue is full it stops taking
     * messages from the connection and, once the route has caught up, reads what it skipped from the server's history
     * (gap recovery), so memory stays bounded and nothing is lost; without gapRecovery the skipped messages are
     * reported to the ExceptionHandler.
     */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    /**
     * Where the consumer remembers the ids of the messages it delivered, to deliver none twice (a message read back
     * from the server after a reconnect may have arrived live too). Defaults to an in-memory repository of
     * duplicateCacheSize ids. A repository given here is started if needed and never stopped or cleared by the
     * component.
     */
    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public StateRepository<String, String> getStateRepository() {
        return stateRepository;
    }

    /**
     * Where the consumer keeps, per channel, the last message it routed (its time and id, written after the exchange
     * completed): a consumer that starts again delivers exactly what was posted after it, however many messages came
     * before. Defaults to an in-memory repository owned by the endpoint, which survives route restarts; give a
     * FileStateRepository (or any other durable one) to resume across application restarts. A first start, with
     * nothing in the repository, delivers no history. A repository given here is started if needed and never stopped
     * by the component.
     */
    public void setStateRepository(StateRepository<String, String> stateRepository) {
        this.stateRepository = stateRepository;
    }

    /** A copy of every option, those of {@link ElizaConnectionConfiguration} included (a shallow clone). */
    public ElizaConfiguration copy() {
        try {
            return (ElizaConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
