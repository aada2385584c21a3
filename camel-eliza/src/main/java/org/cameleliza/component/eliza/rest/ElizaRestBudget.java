package org.cameleliza.component.eliza.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.cameleliza.component.eliza.ElizaRateLimitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection spent of its server's REST budget, and the pause after the server said it is spent. elizaOS 1.7
 * allows 1000 requests per 15 minutes per client address over all of {@code /api}, its own agents' loopback requests
 * included, and answers HTTP 429 with {@code RateLimit-Reset} and {@code Retry-After}: until then no request of ours
 * can succeed, and each one we made would be refused and counted, so none is made, by any connection of the JVM to that
 * server. The counters are the connection's. Any thread: all of it is atomic.
 */
public final class ElizaRestBudget {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaRestBudget.class);
    /** The pause when a 429 says nothing of when to come back. */
    static final Duration DEFAULT_PAUSE = Duration.ofMinutes(1);
    /** The longest pause taken: elizaOS 1.7's window is 15 minutes; a larger value is a broken header. */
    static final Duration MAX_PAUSE = Duration.ofMinutes(15);

    // per server, for the whole JVM: the limit is per client address, so every connection to the server pauses
    private static final Map<String, AtomicLong> PAUSES = new ConcurrentHashMap<>();

    private final String server;
    // until when (epoch ms) no request is made to the server
    private final AtomicLong pausedUntil;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong refusedLocally = new AtomicLong();
    private volatile String lastRateLimit;

    ElizaRestBudget(String server) {
        this.server = server;
        this.pausedUntil = PAUSES.computeIfAbsent(server, key -> new AtomicLong());
    }

    /** A request is about to be made. */
    void spent() {
        requests.incrementAndGet();
    }

    /** The REST requests made so far. */
    public long requests() {
        return requests.get();
    }

    /**
     * Fails fast while the server's rate limit is spent: the error a request made now would get, without making it.
     *
     * @return null when requests may be made
     */
    ElizaRateLimitedException pausedError(String request) {
        long until = pausedUntil.get();
        if (System.currentTimeMillis() >= until) {
            return null;
        }
        refusedLocally.incrementAndGet();
        return new ElizaRateLimitedException(
                request + " on " + server + " was not made: the server's REST rate limit is spent until "
                                             + Instant.ofEpochMilli(until),
                Instant.ofEpochMilli(until));
    }

    /** How long REST is paused from now; 0 when it is not. */
    public long pausedForMillis() {
        return Math.max(0, pausedUntil.get() - System.currentTimeMillis());
    }

    /**
     * The server answered 429: REST to it pauses until the time its headers name (the later of two 429s wins).
     *
     * @return the error for the request that got the 429
     */
    ElizaRateLimitedException rateLimited(String request, String retryAfter, String rateLimitReset) {
        long now = System.currentTimeMillis();
        long until = now + pauseMillis(retryAfter, rateLimitReset, now);
        rateLimited.incrementAndGet();
        long before = pausedUntil.getAndAccumulate(until, Math::max);
        boolean first = before <= now;
        until = Math.max(before, until);
        String when = Instant.ofEpochMilli(until).toString();
        lastRateLimit = Instant.ofEpochMilli(now) + " " + request + " (Retry-After: " + retryAfter + ", RateLimit-Reset: "
                        + rateLimitReset + ")";
        if (first) {
            // once per pause: every request refused meanwhile would say the same
            LOG.warn("The Eliza server at {} answered {} with HTTP 429: its REST rate limit is spent (elizaOS allows"
                     + " 1000 requests per 15 minutes per client address, its agents' included). No REST request is"
                     + " made to it until {}; until then replies are matched without reading them back, and gap"
                     + " recovery waits", server, request, when);
        }
        return new ElizaRateLimitedException(
                request + " on " + server + " answered HTTP 429 (rate limit spent until " + when + ")",
                Instant.ofEpochMilli(until));
    }

    /**
     * How long to pause after a 429: {@code Retry-After} (seconds or an HTTP date), else {@code RateLimit-Reset}
     * (seconds), else a minute; never more than 15 minutes, never less than a second.
     */
    static long pauseMillis(String retryAfter, String rateLimitReset, long nowMillis) {
        Long pause = seconds(retryAfter);
        if (pause == null && retryAfter != null) {
            try {
                pause = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                        .toEpochMilli() - nowMillis;
            } catch (DateTimeParseException e) {
                pause = null;
            }
        }
        if (pause == null) {
            pause = seconds(rateLimitReset);
        }
        if (pause == null) {
            return DEFAULT_PAUSE.toMillis();
        }
        return Math.min(MAX_PAUSE.toMillis(), Math.max(1000, pause));
    }

    private static Long seconds(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Math.round(Double.parseDouble(header.trim()) * 1000);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** For the dev console. */
    public Map<String, Object> describe() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("restRequests", requests.get());
        info.put("restRateLimited", rateLimited.get());
        info.put("restNotMadeWhilePaused", refusedLocally.get());
        info.put("restLastRateLimit", lastRateLimit);
        long paused = pausedForMillis();
        info.put("restPausedUntil", paused > 0 ? Instant.ofEpochMilli(pausedUntil.get()).toString() : null);
        return info;
    }
}
