package org.cameleliza.component.eliza.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.cameleliza.component.eliza.ElizaRateLimitedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElizaRestBudgetTest {

    private static final long NOW = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();

    @Test
    void retryAfterInSecondsComesFirst() {
        assertThat(ElizaRestBudget.pauseMillis("120", "812", NOW)).isEqualTo(120_000);
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeLeftUntilThen() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(Instant.ofEpochMilli(NOW).plusSeconds(90).atOffset(ZoneOffset.UTC));
        assertThat(ElizaRestBudget.pauseMillis(date, null, NOW)).isEqualTo(90_000);
    }

    @Test
    void rateLimitResetIsTakenWhenThereIsNoRetryAfter() {
        // express-rate-limit, as elizaOS 1.7.2 configures it: seconds until the window resets
        assertThat(ElizaRestBudget.pauseMillis(null, "812", NOW)).isEqualTo(812_000);
        assertThat(ElizaRestBudget.pauseMillis("soon", "30", NOW)).isEqualTo(30_000);
    }

    @Test
    void aTooManyRequestsWithoutTimeIsAMinute() {
        assertThat(ElizaRestBudget.pauseMillis(null, null, NOW)).isEqualTo(Duration.ofMinutes(1).toMillis());
    }

    @Test
    void thePauseIsBoundedToTheServersWindowAndASecond() {
        assertThat(ElizaRestBudget.pauseMillis("86400", null, NOW)).isEqualTo(Duration.ofMinutes(15).toMillis());
        assertThat(ElizaRestBudget.pauseMillis("0", null, NOW)).isEqualTo(1000);
        assertThat(ElizaRestBudget.pauseMillis("-5", null, NOW)).isEqualTo(1000);
    }

    @Test
    void whilePausedNoRequestIsMadeAndTheErrorSaysUntilWhen() {
        ElizaRestBudget budget = new ElizaRestBudget("http://budget-test-" + java.util.UUID.randomUUID());
        assertThat(budget.pausedError("GET /api/messaging/channels/x/messages")).isNull();

        ElizaRateLimitedException answered = budget.rateLimited("GET /api/messaging/channels/x/messages", "60", "60");
        ElizaRateLimitedException refused = budget.pausedError("GET /api/system/version");

        assertThat(answered).hasMessageContaining("answered HTTP 429");
        assertThat(refused).isNotNull().hasMessageContaining("was not made")
                .hasMessageContaining(answered.getRetryAt().toString());
        assertThat(refused.getRetryAt()).isEqualTo(answered.getRetryAt());
        assertThat(budget.pausedForMillis()).isPositive();
        assertThat(budget.describe()).containsEntry("restRateLimited", 1L).containsEntry("restNotMadeWhilePaused", 1L)
                .containsEntry("restPausedUntil", answered.getRetryAt().toString());
        assertThat((String) budget.describe().get("restLastRateLimit"))
                .contains("GET /api/messaging/channels/x/messages").contains("Retry-After: 60");
    }

    @Test
    void aLaterRateLimitNeverShortensThePause() {
        ElizaRestBudget budget = new ElizaRestBudget("http://budget-test-" + java.util.UUID.randomUUID());
        Instant long1 = budget.rateLimited("GET /a", "600", null).getRetryAt();
        Instant after = budget.rateLimited("GET /b", "5", null).getRetryAt();
        assertThat(after).isEqualTo(long1);
    }

    @Test
    void everyConnectionToTheServerPausesNotJustTheOneThatGotThe429() {
        String server = "http://budget-test-" + java.util.UUID.randomUUID();
        ElizaRestBudget one = new ElizaRestBudget(server);
        ElizaRestBudget other = new ElizaRestBudget(server);
        ElizaRestBudget elsewhere = new ElizaRestBudget(server + "-other");

        one.rateLimited("GET /a", "60", null);

        assertThat(other.pausedError("GET /b")).as("the limit is the client address's").isNotNull();
        assertThat(elsewhere.pausedError("GET /b")).isNull();
        assertThat(other.describe()).containsEntry("restRateLimited", 0L);
    }
}
