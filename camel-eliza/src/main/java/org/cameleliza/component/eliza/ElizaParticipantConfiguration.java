package org.cameleliza.component.eliza;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of a consumer that takes part in the room (reply=true): whether it answers, whom and how its answers are
 * posted. {@link ElizaConfiguration} extends it, as it extends {@link ElizaConnectionConfiguration}: one cohesive group
 * of options per class.
 */
@UriParams
public abstract class ElizaParticipantConfiguration extends ElizaConnectionConfiguration {

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean reply;
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean replyToAgents;
    @UriParam(label = "consumer", defaultValue = "all", enums = "all,mentions,addressed")
    private String replyFilter = "all";
    @UriParam(label = "consumer", defaultValue = "socket", enums = "socket,rest")
    private String replyVia = "socket";

    public boolean isReply() {
        return reply;
    }

    /**
     * Whether the consumer takes part in the room: the result of its route (the body, as a String) is posted into the
     * channel (see replyVia) as the answer to the message the route received, that message's id as metadata.inReplyTo,
     * the endpoint's entity (senderName) as sender. A null or blank body posts nothing. The route receives only the
     * messages it may answer: never its own, nor (unless replyToAgents) an agent's or another camel-eliza
     * participant's, and only those replyFilter lets through. A failed post goes to the consumer's ExceptionHandler
     * (the route's error handler with bridgeErrorHandler). For consumers only.
     */
    public void setReply(boolean reply) {
        this.reply = reply;
    }

    public boolean isReplyToAgents() {
        return replyToAgents;
    }

    /**
     * With reply: whether the route also answers agents (messages with source agent_response or sent by agentId) and
     * other camel-eliza participants (source camel_reply). Off by default, so that a route and an agent, or two
     * participant routes, never answer each other forever; turned on, each such message is still answered at most
     * once.
     */
    public void setReplyToAgents(boolean replyToAgents) {
        this.replyToAgents = replyToAgents;
    }

    public String getReplyFilter() {
        return replyFilter;
    }

    /**
     * With reply: which messages the route answers. all: every message of the channel (but its own and, unless
     * replyToAgents, agents'). mentions: those whose text mentions it, as @senderName (case-insensitive) or its entity
     * id, anywhere. addressed: those whose text starts with @senderName, as in "@Desk, where is my parcel?". Other
     * messages are not delivered to the route.
     */
    public void setReplyFilter(String replyFilter) {
        this.replyFilter = replyFilter;
    }

    public String getReplyVia() {
        return replyVia;
    }

    /**
     * With reply: how an answer is posted. socket: over the consumer's Socket.IO connection, as the producer sends, no
     * REST request; elizaOS stores no inReplyToRootMessageId then, the link is metadata.inReplyTo. rest: POST
     * /api/messaging/ingest-external, which stores inReplyToRootMessageId and hands agents the link, for a REST request
     * per answer of the server's budget (elizaOS 1.7: 1,000 per 15 minutes per client address, its agents' included);
     * while the server answers 429, answers go over the socket (one WARN per pause).
     */
    public void setReplyVia(String replyVia) {
        this.replyVia = replyVia;
    }
}
