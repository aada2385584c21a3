package org.cameleliza.component.eliza.reply;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.component.eliza.protocol.ElizaChunkText;
import org.cameleliza.component.eliza.protocol.ElizaEvents;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streamed requests of a connection (the streaming option) and the chunks that feed them. elizaOS 1.7 streams an
 * agent's answer to the room as {@code messageStreamChunk {messageId, chunk, index, agentId}} events before its final
 * {@code messageBroadcast}, whose id is the chunks' messageId; nothing in a chunk says which message it answers. (A
 * chunk is the model's text as written, XML escapes included: {@link ElizaChunkText} makes it the text stored.) A
 * request's {@link Feed} is registered right before its message is sent, and takes the first stream of its agent that
 * <em>starts</em> (chunk index 0) after that, in the channel: where position is safe for the reply (see
 * {@link ElizaChannelWatch}) that stream can only be the answer to this request. Where it is not (someone else asked the
 * agent meanwhile), the stream is taken all the same, and checked at the end: the reply the {@link ElizaReplyTracker}
 * matches to the request (exactly, read back over REST where needed) must be the message streamed, else the stream
 * fails (see the producer's {@code ElizaStreamingReply}). A stream whose chunks stop being contiguous (a chunk missed)
 * stops being fed; the final text delivers the rest. A stream cut by the connection's loss fails at once, with what
 * came. Confined to the connection's thread.
 */
public final class ElizaStreamTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaStreamTracker.class);

    /** One streamed request: its agent (null: anyone but us), its stream, and the message streamed to it, once known. */
    public static final class Feed {
        private final String agentId;
        private final ElizaAnswerStream stream;
        private final ElizaChunkText text = new ElizaChunkText();
        private volatile String messageId;
        private String channelId;
        private int nextIndex;
        private boolean gap;

        public Feed(String agentId, ElizaAnswerStream stream) {
            this.agentId = agentId;
            this.stream = stream;
        }

        /** The id of the agent message whose chunks fed the stream; null while none came. Any thread. */
        public String messageId() {
            return messageId;
        }

        public ElizaAnswerStream stream() {
            return stream;
        }
    }

    private final Supplier<String> entityId;
    // per channel, the feeds waiting for their stream to start, oldest first
    private final Map<String, List<Feed>> unbound = new HashMap<>();
    // the message being streamed -> its feed
    private final Map<String, Feed> bound = new HashMap<>();

    public ElizaStreamTracker(Supplier<String> entityId) {
        this.entityId = entityId;
    }

    /** A streamed request is about to be sent to the channel: the next stream of its agent there is taken for it. */
    public void watch(String channelId, Feed feed) {
        feed.channelId = channelId;
        unbound.computeIfAbsent(channelId, id -> new ArrayList<>()).add(feed);
    }

    /** The request is over (answered or failed): no chunk feeds its stream any more. */
    public void close(Feed feed) {
        List<Feed> waiting = unbound.get(feed.channelId);
        if (waiting != null && waiting.remove(feed) && waiting.isEmpty()) {
            unbound.remove(feed.channelId);
        }
        if (feed.messageId != null) {
            bound.remove(feed.messageId, feed);
        }
    }

    /**
     * The connection was lost: the chunks sent meanwhile are lost, and the server does not send them again. A stream
     * that had begun fails with what came; one that had not yet begun waits on (its answer is read back at the end).
     */
    public void connectionLost() {
        for (Feed feed : new ArrayList<>(bound.values())) {
            close(feed);
            feed.stream.fail("the connection to the server was lost while the answer was streamed", null, null);
        }
    }

    /** A server event of a channel the connection has joined. */
    public void onEvent(String channelId, String event, Map<String, Object> payload) {
        if (bound.isEmpty() && unbound.isEmpty()) {
            return;
        }
        String messageId = ElizaProtocol.string(payload, "messageId");
        if (ElizaEvents.MESSAGE_STREAM_CHUNK.equals(event) && messageId != null) {
            onChunk(channelId, messageId, payload);
        } else if (ElizaEvents.MESSAGE_STREAM_ERROR.equals(event) && messageId != null) {
            Feed feed = bound.get(messageId);
            if (feed != null) {
                close(feed);
                feed.stream.fail("the server reported: " + ElizaProtocol.string(payload, "error"),
                        ElizaProtocol.string(payload, "partialText"), null);
            }
        }
    }

    private void onChunk(String channelId, String messageId, Map<String, Object> payload) {
        Object indexValue = payload.get("index");
        int index = indexValue instanceof Number number ? number.intValue() : -1;
        Feed feed = bound.get(messageId);
        if (feed == null) {
            if (index != 0) {
                // a stream that began before a request was registered: not an answer to it
                return;
            }
            feed = firstWaitingFor(channelId, ElizaProtocol.string(payload, "agentId"));
            if (feed == null) {
                return;
            }
            unbound.get(channelId).remove(feed);
            if (unbound.get(channelId).isEmpty()) {
                unbound.remove(channelId);
            }
            feed.messageId = messageId;
            bound.put(messageId, feed);
        }
        if (feed.gap) {
            return;
        }
        if (index != feed.nextIndex) {
            // a chunk was missed: the rest comes with the final text, as one piece
            LOG.debug("Chunk {} of streamed message {} came where {} was expected: the rest comes with the answer",
                    index, messageId, feed.nextIndex);
            feed.gap = true;
            return;
        }
        feed.nextIndex++;
        Object chunk = payload.get("chunk");
        if (chunk != null) {
            feed.stream.chunk(feed.text.push(String.valueOf(chunk)));
        }
    }

    private Feed firstWaitingFor(String channelId, String agentId) {
        if (agentId == null) {
            return null;
        }
        for (Feed feed : unbound.getOrDefault(channelId, List.of())) {
            if (feed.agentId != null ? feed.agentId.equalsIgnoreCase(agentId) : !agentId.equalsIgnoreCase(entityId.get())) {
                return feed;
            }
        }
        return null;
    }
}
