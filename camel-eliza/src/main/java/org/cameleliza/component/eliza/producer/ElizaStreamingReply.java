package org.cameleliza.component.eliza.producer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Message;
import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.connection.ElizaConnection;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.reply.ElizaReplyTracker;
import org.cameleliza.component.eliza.reply.ElizaStreamTracker;

/**
 * A request-reply exchange with {@code streaming=true}: the exchange goes on as soon as the server acknowledged the
 * question, with an {@link ElizaAnswerStream} as its body, which the chunks of the agent's answer feed as they arrive
 * (see {@link ElizaStreamTracker} for how they are tied to the request). The reply, matched to the request as without
 * streaming (by position where that is safe, else read back over REST), ends the stream: its text delivers whatever
 * the chunks did not, so that the chunks always add up to the answer; a reply that is not the message streamed, a
 * failed request (no answer within replyTimeout, the connection closed) or a stream the server reports failed, fails
 * the stream with the partial text. A request that fails before its acknowledgement fails the exchange, as without
 * streaming. A redelivery whose question the server had stored already sends nothing and waits for the reply: the
 * exchange then goes on with the whole answer as one chunk.
 */
public final class ElizaStreamingReply {

    private final ElizaAnswerStream stream;
    private final ElizaStreamTracker.Feed feed;
    private final long replyTimeout;
    // completes with this once the exchange may go on (the ack, or the reply of a redelivery), or fails before that
    private final CompletableFuture<Object> handedOver = new CompletableFuture<>();
    private volatile Map<String, Object> ack;
    private volatile Message message;
    private volatile String answerId;

    /**
     * @param replyTimeout the request's replyTimeout: also how long the reader waits for the next chunk, at most (the
     *                     request ends by then anyway)
     */
    public ElizaStreamingReply(String agentId, String channelId, long replyTimeout) {
        this.replyTimeout = replyTimeout;
        this.stream = new ElizaAnswerStream(replyTimeout,
                "answer of " + (agentId != null ? "agent " + agentId : "the agent") + " in channel " + channelId,
                this::ended);
        this.feed = new ElizaStreamTracker.Feed(agentId, stream);
    }

    /** What the connection feeds. */
    public ElizaStreamTracker.Feed feed() {
        return feed;
    }

    /** The server acknowledged the question: the exchange may go on. On the connection's thread. */
    public void acked(Map<String, Object> acknowledgement) {
        this.ack = acknowledgement;
        handedOver.complete(this);
    }

    /**
     * What the exchange waits for, given the request's reply: this once it may go on with the stream, or the request's
     * failure before the acknowledgement. The reply, when it comes, ends the stream.
     */
    public CompletableFuture<Object> follow(CompletableFuture<ElizaReplyTracker.Reply> reply) {
        reply.whenComplete((outcome, error) -> {
            if (error != null) {
                Throwable cause = ElizaConnection.unwrap(error);
                if (!handedOver.completeExceptionally(cause)) {
                    stream.fail(reason(cause), null, cause);
                }
                return;
            }
            end(outcome);
            handedOver.complete(this);
        });
        return handedOver;
    }

    /** The exchange goes on with the stream as its body (on the worker that completes it). */
    public void handOver(Message target) {
        this.message = target;
        // the answer is a new message: no header of the request may pass for one of it
        target.removeHeaders("CamelEliza*");
        target.setBody(stream);
        target.setHeader(ElizaConstants.IN_REPLY_TO, ElizaProtocol.string(ack, "messageId"));
    }

    private void end(ElizaReplyTracker.Reply reply) {
        if (ack == null) {
            ack = reply.ack();
        }
        if (!reply.answered()) {
            // an agent that finished its turn without answering (only servers before 1.5 say so): nothing streamed
            stream.complete(null);
            return;
        }
        Map<String, Object> payload = reply.payload();
        String id = ElizaProtocol.string(payload, "id");
        String streamed = feed.messageId();
        if (streamed != null && !streamed.equals(id)) {
            stream.fail("the chunks were those of agent message " + streamed + ", but the reply to this request is"
                        + " message " + id + " (someone else asked the agent meanwhile)", null, null);
            return;
        }
        answerId = id;
        stream.complete(ElizaProtocol.string(payload, "text"));
    }

    /** The last chunk was read: the whole answer goes to the exchange's headers. On the reader's thread. */
    private void ended(String text) {
        Message target = message;
        if (target != null) {
            target.setHeader(ElizaConstants.STREAMED_TEXT, text);
            if (answerId != null) {
                target.setHeader(ElizaConstants.MESSAGE_ID, answerId);
            }
        }
    }

    private String reason(Throwable cause) {
        if (cause instanceof ElizaReplyTracker.ReplyTimeoutException) {
            return cause.getMessage() + " within replyTimeout (" + replyTimeout + " ms)";
        }
        return String.valueOf(cause.getMessage());
    }
}
