package org.cameleliza.component.eliza;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An agent's answer as it is written: the body of a request-reply exchange with {@code streaming=true}. Iterate it, once,
 * from one thread, the way {@code split(body()).streaming()} does: each element is the next chunk, in order, as soon as
 * the server sent it; the iteration ends when the answer is complete, and {@link #getText()} (and the header
 * {@link ElizaConstants#STREAMED_TEXT} of the exchange) is then the whole answer, equal to the concatenation of the
 * chunks. A stream that fails mid-way throws {@link ElizaStreamException} from {@code hasNext()}/{@code next()}, with
 * the partial text: never a silent cut.
 * <p>
 * The transport's thread feeds it ({@link #chunk}, {@link #complete}, {@link #fail}); those never block.
 */
public final class ElizaAnswerStream implements Iterator<String> {

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final long idleTimeoutMillis;
    private final String description;
    private final Consumer<String> onComplete;
    private final StringBuilder received = new StringBuilder();
    private volatile String text;
    private Object head;
    private boolean last;
    private boolean ended;

    /**
     * @param idleTimeoutMillis how long the reader waits for the next chunk before the stream fails
     * @param description       what is streamed, for the errors ("the answer of agent X in channel Y")
     * @param onComplete        called on the reader's thread with the whole text, once the last chunk was read
     */
    public ElizaAnswerStream(long idleTimeoutMillis, String description, Consumer<String> onComplete) {
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.description = description;
        this.onComplete = onComplete;
    }

    /** A chunk of the answer, in order. */
    public void chunk(String chunk) {
        if (chunk != null && !chunk.isEmpty()) {
            queue.add(chunk);
        }
    }

    /**
     * The answer is complete. {@code finalText} is the whole answer as the server stored it (null when the transport
     * gives none): when the chunks read do not add up to it, the rest is delivered as a last chunk, so that the chunks
     * always concatenate to the answer; chunks that are not the beginning of it fail the stream.
     */
    public void complete(String finalText) {
        queue.add(new Completion(finalText));
    }

    /** The stream failed: the reader gets {@link ElizaStreamException} after the chunks that came before. */
    public void fail(String reason, String serverPartialText, Throwable cause) {
        queue.add(new Failure(reason, serverPartialText, cause));
    }

    @Override
    public boolean hasNext() {
        if (ended) {
            return false;
        }
        if (head == null) {
            head = take();
        }
        if (head instanceof String) {
            return true;
        }
        if (head instanceof Completion completion) {
            if (completion.finalText != null && !completion.finalText.startsWith(received.toString())) {
                // what was given out cannot be taken back: never pass it for the answer
                head = new Failure("the chunks do not add up to the answer the server stored ("
                                   + completion.finalText.length() + " characters)", null, null);
            } else {
                String rest = remainder(completion.finalText);
                if (!rest.isEmpty()) {
                    head = rest;
                    last = true;
                    return true;
                }
                finish();
                return false;
            }
        }
        Failure failure = (Failure) head;
        ended = true;
        String partial = failure.serverPartialText != null ? failure.serverPartialText : received.toString();
        throw new ElizaStreamException("The streamed " + description + " failed after " + received.length()
                                       + " characters: " + failure.reason, partial, failure.cause);
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The streamed " + description + " is complete");
        }
        String chunk = (String) head;
        // after the rest of the final text, the stream is complete, whatever came after its completion
        head = last ? new Completion(null) : null;
        received.append(chunk);
        return chunk;
    }

    /** The whole answer once the stream is complete, else null. */
    public String getText() {
        return text;
    }

    /** What has been read so far. */
    public String getReceivedText() {
        return received.toString();
    }

    private Object take() {
        try {
            Object next = queue.poll(idleTimeoutMillis, TimeUnit.MILLISECONDS);
            if (next == null) {
                return new Failure("no chunk came within " + idleTimeoutMillis + " ms", null, null);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failure("interrupted while waiting for the next chunk", null, e);
        }
    }

    /** What the final text has beyond the chunks read (which it starts with); "" when nothing more, or none. */
    private String remainder(String finalText) {
        return finalText == null ? "" : finalText.substring(received.length());
    }

    private void finish() {
        ended = true;
        text = received.toString();
        if (onComplete != null) {
            onComplete.accept(text);
        }
    }

    private record Completion(String finalText) {
    }

    private record Failure(String reason, String serverPartialText, Throwable cause) {
    }
}
