package dev.loopline.makers.llm;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed model call is tried again: HTTP 408, 429 and 5xx, timeouts and broken connections, at most {@code
 * maxAttempts} tries. The wait is what the provider asked for ({@code retry-after-ms}, {@code Retry-After} in seconds
 * or as an HTTP date) or else exponential backoff with jitter: half of {@code backoff × 2^(n-1)} (capped at {@code
 * maxBackoff}) plus a random share of the other half, so that agents rate-limited together do not return together.
 */
record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff) {

    RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The wait after the {@code failures}-th failed try when the provider named none. */
    Duration backoff(int failures, RandomGenerator random) {
        long base = backoff.toMillis();
        for (int i = 1; i < failures && base < maxBackoff.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, maxBackoff.toMillis());
        long half = base / 2;
        long jitter = half == 0 ? 0 : random.nextLong(base - half + 1);
        return Duration.ofMillis(half + jitter);
    }

    /** The wait the provider asked for, if it named one that can be read; never negative. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                double ms = Double.parseDouble(millis.get().strip());
                if (ms >= 0 && Double.isFinite(ms)) {
                    return Optional.of(Duration.ofMillis((long) Math.ceil(ms)));
                }
            } catch (NumberFormatException ignored) {
                // fall back to Retry-After
            }
        }
        Optional<String> value = headers.firstValue("retry-after").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            double seconds = Double.parseDouble(value.get());
            if (seconds >= 0 && Double.isFinite(seconds)) {
                return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
            }
            return Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
