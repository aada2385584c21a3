package org.cameleliza.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Faults armed on a real server answer the next requests, with their status, headers and body, and then stop. */
class ElizaTestServerFaultsIT {

    private static final String VERSION = "/api/system/version";
    private static ElizaTestServer server;
    private static HttpClient http;

    @BeforeAll
    static void startServer() {
        server = ElizaTestServer.builder()
                .logFile(Paths.get("target", "eliza-server-logs", "test-server-faults.log"))
                .build().start();
        // HTTP/1.1: the h2c upgrade of the default HTTP/2 goes to Socket.IO, which drops a connection not its own
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSpentRateLimitAnswersAsElizaOsDoes() throws Exception {
        server.rateLimitNextRequests(VERSION, 1, Duration.ofSeconds(7));

        HttpResponse<String> limited = get(VERSION);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("RateLimit-Limit")).hasValue("1000");
        assertThat(limited.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(limited.headers().firstValue("RateLimit-Reset")).hasValue("7");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(limited.headers().firstValue("RateLimit-Policy")).hasValue("1000;w=900");
        assertThat(limited.body()).isEqualTo("{\"success\":false,\"error\":{\"code\":\"RATE_LIMIT_EXCEEDED\","
                                             + "\"message\":\"Too many requests. Please try again later.\"}}");
        assertThat(server.pendingFailures()).isZero();

        assertThat(get(VERSION).statusCode()).as("the fault answered once only").isEqualTo(200);
    }

    @Test
    void aFaultCarriesTheHeadersItWasArmedWith() throws Exception {
        server.failNextRequests(VERSION, 503, 2, Map.of("Retry-After", "3"));

        HttpResponse<String> first = get(VERSION);
        assertThat(server.pendingFailures()).isEqualTo(1);
        HttpResponse<String> second = get(VERSION);

        for (HttpResponse<String> overloaded : List.of(first, second)) {
            assertThat(overloaded.statusCode()).isEqualTo(503);
            assertThat(overloaded.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(overloaded.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(overloaded.body()).contains("\"code\":503");
        }
        assertThat(get(VERSION).statusCode()).isEqualTo(200);
    }
}
