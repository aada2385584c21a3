package org.cameleliza.component.eliza.producer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cameleliza.component.eliza.ElizaAnswerStream;
import org.cameleliza.component.eliza.ElizaConfiguration;
import org.cameleliza.component.eliza.ElizaConstants;
import org.cameleliza.component.eliza.ElizaStreamException;
import org.cameleliza.component.eliza.protocol.ElizaOutgoingMessage;
import org.cameleliza.component.eliza.protocol.ElizaProtocol;
import org.cameleliza.component.eliza.rest.ElizaRestMessages;

/**
 * One message of the sse transport: the server's events ({@code user_message} the stored message, {@code chunk} a
 * piece of the answer {@code {messageId, chunk, index}}, {@code done} the agent's response content, {@code error}
 * {@code {error}}) turned into the exchange's answer. Without streaming the exchange gets the whole text at done, as
 * with transport=http; with streaming it gets an {@link ElizaAnswerStream} at the first chunk, fed by the events that
 * follow. A done without text (the agent chose IGNORE) is CamelElizaNoReply, and so is the error elizaOS 1.7.2 sends
 * instead of that done (it cannot serialise an IGNORE's content). A stream that breaks (an error event, the
 * server gone, no data within replyTimeout) fails with {@link ElizaStreamException} carrying the text until then:
 * the exchange, or the stream once the exchange has it. Events come on OkHttp's thread, in order.
 */
final class ElizaSseTransport implements ElizaRestMessages.StreamListener {

    private final Exchange exchange;
    private final ElizaOutgoingMessage out;
    private final ElizaConfiguration config;
    private final CompletableFuture<Consumer<Message>> answered;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private boolean accepted;
    private boolean finished;
    private String inReplyTo;
    private String answerId;
    private ElizaAnswerStream stream;

    ElizaSseTransport(Exchange exchange, ElizaOutgoingMessage out, ElizaConfiguration config,
                      CompletableFuture<Consumer<Message>> answered) {
        this.exchange = exchange;
        this.out = out;
        this.config = config;
        this.answered = answered;
    }

    /** Completes when the server's stream ended, however: the request lane of the channel moves on then. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    @Override
    public void onEvent(String event, Map<String, Object> data) {
        accepted = true;
        if (finished) {
            return;
        }
        switch (event) {
            case "user_message" -> inReplyTo = ElizaProtocol.string(data, "id");
            case "chunk" -> onChunk(data);
            case "done" -> onDone(data);
            case "error" -> onError(ElizaProtocol.string(data, "error"));
            default -> {
                // an event of a later server: not ours to interpret
            }
        }
    }

    @Override
    public void onEnd(Throwable failure) {
        if (!finished) {
            if (failure != null && (!accepted || failure instanceof TimeoutException && stream == null)) {
                // nothing came back: the request itself failed (refused, rate limited, unreachable); or the answer
                // did not come within replyTimeout, before the exchange had a stream: the exchange timed out
                finished = true;
                answered.completeExceptionally(failure);
            } else {
                fail(failure != null ? failure.getMessage() : "the server ended the stream before the answer was complete",
                        failure);
            }
        }
        ended.complete(null);
    }

    private void onChunk(Map<String, Object> data) {
        String chunk = ElizaProtocol.string(data, "chunk");
        if (chunk == null || chunk.isEmpty()) {
            return;
        }
        if (answerId == null) {
            answerId = ElizaProtocol.string(data, "messageId");
        }
        text.append(chunk);
        if (config.isStreaming()) {
            if (stream == null) {
                stream = newStream();
                stream.chunk(chunk);
                answered.complete(streamWriter());
            } else {
                stream.chunk(chunk);
            }
        }
    }

    private void onDone(Map<String, Object> content) {
        finished = true;
        String finalText = ElizaProtocol.string(content, "text");
        if (!config.isStreaming()) {
            String whole = finalText != null && !finalText.isBlank() ? finalText : text.toString();
            answered.complete(ElizaHttpTransport.writer(content, whole, out, inReplyTo, config.getBodyType()));
            return;
        }
        if (stream == null) {
            if ((finalText == null || finalText.isBlank()) && text.length() == 0) {
                answered.complete(ElizaHttpTransport.writer(content, "", out, inReplyTo, config.getBodyType()));
                return;
            }
            // the model did not stream: the whole answer is one chunk
            stream = newStream();
            answered.complete(streamWriter());
        }
        stream.complete(finalText);
    }

    private void onError(String error) {
        if (text.length() == 0 && error != null && error.contains("circular") && error.contains("actionCallbacks")) {
            // elizaOS 1.7.2 cannot write the response content of an IGNORE (its actionCallbacks refer to the content
            // itself) and reports that instead of done: the agent chose not to answer
            onDone(Map.of());
            return;
        }
        fail("the server reported: " + error, null);
    }

    private void fail(String reason, Throwable cause) {
        finished = true;
        if (stream != null) {
            stream.fail(reason, null, cause);
        } else {
            answered.completeExceptionally(new ElizaStreamException(
                    "The streamed " + description() + " failed after " + text.length() + " characters: " + reason,
                    text.toString(), cause));
        }
    }

    private ElizaAnswerStream newStream() {
        return new ElizaAnswerStream(config.getReplyTimeout(), description(),
                whole -> exchange.getMessage().setHeader(ElizaConstants.STREAMED_TEXT, whole));
    }

    private Consumer<Message> streamWriter() {
        ElizaAnswerStream body = stream;
        String id = answerId;
        return message -> {
            message.setBody(body);
            message.setHeader(ElizaConstants.SENDER_ID, out.agentId());
            message.setHeader(ElizaConstants.SOURCE, "agent_response");
            if (id != null) {
                message.setHeader(ElizaConstants.MESSAGE_ID, id);
            }
            if (inReplyTo != null) {
                message.setHeader(ElizaConstants.IN_REPLY_TO, inReplyTo);
            }
        };
    }

    private String description() {
        return "answer of agent " + out.agentId() + " in channel " + out.channelId();
    }
}
