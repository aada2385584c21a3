package org.cameleliza.component.eliza;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of how a producer reaches the agent and receives its answer: over the Socket.IO connection, or with one
 * REST request per message that returns the answer (elizaOS 1.7 and later), whole or streamed. {@link ElizaConfiguration}
 * extends it with the options of the conversation, the consumer and the producer.
 */
@UriParams
public abstract class ElizaTransportConfiguration extends ElizaParticipantConfiguration {

    /** The transports of the transport option. */
    public static final String SOCKET = "socket";
    public static final String HTTP = "http";
    public static final String SSE = "sse";

    @UriParam(label = "producer", defaultValue = SOCKET, enums = "socket,http,sse")
    private String transport = SOCKET;
    @UriParam(label = "producer", defaultValue = "false")
    private boolean streaming;

    public String getTransport() {
        return transport;
    }

    /**
     * How the producer sends a message to the agent and gets its answer. socket: over the Socket.IO connection (SEND_MESSAGE,
     * the answer recognised among the room's messages; see requestReply and replyMatching); the room's sockets see the
     * question and the answer. http: one REST request per message (POST /api/messaging/channels/:id/messages with
     * transport http, elizaOS 1.7 and later) whose HTTP answer is the agent's answer to exactly that message: no
     * Socket.IO connection, no reply matching; the room's sockets see neither message, and the answer is not in the
     * channel's history. sse: the same request, the answer streamed as server-sent events (see streaming). With http and
     * sse every message is a request to an agent (agentId or CamelElizaAgentId), one REST request of the server's budget
     * each (1,000 per 15 minutes per client address), and the first message to a channel reads its participants once.
     */
    public void setTransport(String transport) {
        this.transport = transport;
    }

    public boolean isStreaming() {
        return streaming;
    }

    /**
     * Whether the body of the answer is an ElizaAnswerStream of its chunks, as the agent writes them (iterate it, for
     * example with split(body()).streaming()), instead of the whole text; the header CamelElizaStreamedText holds the
     * whole text once the stream was read to its end, and a stream that fails mid-way throws ElizaStreamException with
     * the partial text. Over Socket.IO (transport=socket) the exchange continues once the server acknowledged the
     * question, and the chunks are the server's messageStreamChunk events; with transport=sse it continues when the
     * first chunk arrives, and the chunks are the server's SSE chunk events. Not with transport=http. Needs elizaOS 1.7
     * or later.
     */
    public void setStreaming(boolean streaming) {
        this.streaming = streaming;
    }

    /** Whether the producer sends over REST (http or sse) instead of the Socket.IO connection. */
    public boolean usesRestTransport() {
        return HTTP.equals(transport) || SSE.equals(transport);
    }
}
