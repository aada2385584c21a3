package org.cameleliza.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault file the test server reads on every HTTP request ({@code ELIZA_TEST_FAULTS_FILE}, see harness.mjs): the
 * next {@code times} requests under a path are answered with a status, and headers, before the server sees them.
 */
final class FaultFile {

    /** What elizaOS 1.7.2 allows (its API rate limiter: 1000 requests in 15 minutes per client). */
    private static final int RATE_LIMIT = 1000;
    private static final Duration RATE_LIMIT_WINDOW = Duration.ofMinutes(15);
    private static final Pattern TIMES = Pattern.compile("\"times\":(\\d+)");
    /** What Node accepts in a header name (an HTTP token) and value; anything else would fail the request there. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern HEADER_VALUE = Pattern.compile("[\\t\\x20-\\x7e\\x80-\\xff]*");

    private final Path file;

    FaultFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** Arms a fault, replacing the one armed before; 0 times disarms it. */
    void arm(String path, int status, int times, Map<String, String> headers) {
        Objects.requireNonNull(path, "path");
        headers.forEach((name, value) -> {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Not an HTTP header name: '" + name + "'");
            }
            if (value == null || !HEADER_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("Not a value of HTTP header " + name + ": '" + value + "'");
            }
        });
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("path", path);
        fault.put("status", status);
        fault.put("times", times);
        if (!headers.isEmpty()) {
            fault.put("headers", new LinkedHashMap<>(headers));
        }
        Path written = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(written, Json.write(fault), StandardCharsets.UTF_8);
            // the server reads the file on every request: it sees the old fault or the new one, never half of one
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** How many requests the armed fault has still to answer; 0 when none is armed. */
    int pending() {
        try {
            String fault = Files.readString(file, StandardCharsets.UTF_8);
            Matcher times = TIMES.matcher(fault);
            return times.find() ? Integer.parseInt(times.group(1)) : 0;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Disarms the fault by deleting the file. */
    void delete() {
        TempFiles.deleteRecursively(file);
    }

    /**
     * The headers of elizaOS 1.7.2's answer when its API rate limit is spent (express-rate-limit, standard headers of
     * IETF draft 6, plus Retry-After): {@code reset} rounded up to whole seconds, as it rounds.
     */
    static Map<String, String> rateLimitHeaders(Duration reset) {
        if (reset.isNegative()) {
            throw new IllegalArgumentException("reset must not be negative: " + reset);
        }
        long seconds = reset.getSeconds() + (reset.getNano() > 0 ? 1 : 0);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Policy", RATE_LIMIT + ";w=" + RATE_LIMIT_WINDOW.toSeconds());
        headers.put("RateLimit-Limit", String.valueOf(RATE_LIMIT));
        headers.put("RateLimit-Remaining", "0");
        headers.put("RateLimit-Reset", String.valueOf(seconds));
        headers.put("Retry-After", String.valueOf(seconds));
        return headers;
    }
}
