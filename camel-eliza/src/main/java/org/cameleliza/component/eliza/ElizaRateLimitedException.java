package org.cameleliza.component.eliza;

import java.time.Instant;

/**
 * The Eliza server's REST API answered HTTP 429: its rate limit for this client address is spent (elizaOS 1.7 allows
 * 1000 requests per 15 minutes over all of {@code /api}, its own agents included). The component makes no REST request
 * to that server until {@link #getRetryAt()}; what needed the request says in its own error what it did instead.
 */
public class ElizaRateLimitedException extends ElizaException {

    private static final long serialVersionUID = 1L;

    private final Instant retryAt;

    public ElizaRateLimitedException(String message, Instant retryAt) {
        super(message);
        this.retryAt = retryAt;
    }

    /** When the server's rate limit allows REST requests again, as the server said (or a minute after its 429). */
    public Instant getRetryAt() {
        return retryAt;
    }
}
