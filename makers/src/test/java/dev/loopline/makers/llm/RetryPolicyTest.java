package dev.loopline.makers.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void readsRetryAfterAsSecondsAsAnHttpDateAndAsMilliseconds() {
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", "7"), NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", "0.25"), NOW)).contains(Duration.ofMillis(250));
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", "Sun, 06 Dec 2026 12:00:30 GMT"), NOW))
                .contains(Duration.ofSeconds(30));
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", "Sun, 06 Dec 2026 11:00:00 GMT"), NOW))
                .contains(Duration.ZERO);
        assertThat(RetryPolicy.retryAfter(headers("retry-after-ms", "1500", "Retry-After", "2"), NOW))
                .contains(Duration.ofMillis(1500));
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", "soon"), NOW)).isEmpty();
        assertThat(RetryPolicy.retryAfter(headers("Retry-After", "-3"), NOW)).isEmpty();
        assertThat(RetryPolicy.retryAfter(headers(), NOW)).isEmpty();
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(1000));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoff(1, random)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(policy.backoff(2, random)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(policy.backoff(3, random)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(policy.backoff(5, random)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
            assertThat(policy.backoff(30, random)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        }
    }

    @Test
    void retriesTimeoutsRateLimitsAndServerErrorsOnly() {
        assertThat(List.of(408, 429, 500, 502, 503, 529)).allMatch(RetryPolicy::retryable);
        assertThat(List.of(400, 401, 403, 404, 413, 422)).noneMatch(RetryPolicy::retryable);
    }

    private static HttpHeaders headers(String... namesAndValues) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }
}
