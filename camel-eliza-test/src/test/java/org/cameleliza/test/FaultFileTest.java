package org.cameleliza.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault file as the harness reads it (harness.mjs), without a server. */
class FaultFileTest {

    @Test
    void aFaultIsWrittenWholeWithItsHeaders(@TempDir Path dir) throws Exception {
        FaultFile faults = new FaultFile(dir.resolve("faults.json"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", "3");
        headers.put("X-Count", "\"times\":9");

        faults.arm("/api/messaging", 503, 2, headers);

        // a header cannot pass for the count pending() reads: quotes inside a JSON string are escaped
        assertThat(Files.readString(faults.path()))
                .isEqualTo("{\"path\":\"/api/messaging\",\"status\":503,\"times\":2,"
                           + "\"headers\":{\"Retry-After\":\"3\",\"X-Count\":\"\\\"times\\\":9\"}}");
        assertThat(faults.pending()).isEqualTo(2);
        assertThat(dir.resolve("faults.json.tmp")).doesNotExist();
        faults.delete();
        assertThat(faults.pending()).isZero();
    }

    @Test
    void aFaultWithoutHeadersIsWrittenAsBefore(@TempDir Path dir) throws Exception {
        FaultFile faults = new FaultFile(dir.resolve("faults.json"));

        faults.arm("/api", 429, 1, Map.of());

        assertThat(Files.readString(faults.path())).isEqualTo("{\"path\":\"/api\",\"status\":429,\"times\":1}");
    }

    @Test
    void headersHttpDoesNotAllowAreRefusedBeforeTheServerSeesThem(@TempDir Path dir) {
        FaultFile faults = new FaultFile(dir.resolve("faults.json"));

        assertThatThrownBy(() -> faults.arm("/api", 503, 1, Map.of("Retry After", "3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header name");
        assertThatThrownBy(() -> faults.arm("/api", 503, 1, Map.of("Retry-After", "3\r\nX-Injected: 1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Retry-After");
        assertThat(faults.path()).doesNotExist();
    }

    @Test
    void theRateLimitResetIsRoundedUpToWholeSeconds() {
        assertThat(FaultFile.rateLimitHeaders(Duration.ofMillis(1500))).containsExactly(
                Map.entry("RateLimit-Policy", "1000;w=900"), Map.entry("RateLimit-Limit", "1000"),
                Map.entry("RateLimit-Remaining", "0"), Map.entry("RateLimit-Reset", "2"), Map.entry("Retry-After", "2"));
        assertThat(FaultFile.rateLimitHeaders(Duration.ofSeconds(7))).containsEntry("Retry-After", "7");
        assertThat(FaultFile.rateLimitHeaders(Duration.ZERO)).containsEntry("RateLimit-Reset", "0");
        assertThatThrownBy(() -> FaultFile.rateLimitHeaders(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
