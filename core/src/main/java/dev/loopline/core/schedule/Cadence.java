package dev.loopline.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a loop runs: a fixed interval ({@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}) or a range
 * ({@code 5m-15m}) whose every run lands at a uniformly random point between the bounds, so loops that
 * share a cadence do not all wake at the same instant.
 *
 * @param min the shortest interval between two runs (inclusive)
 * @param max the longest interval between two runs (inclusive); equal to {@code min} for a fixed interval
 */
public record Cadence(Duration min, Duration max) {

    /** Longest interval accepted, so the arithmetic never overflows and typos like {@code 99999d} fail. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(366);

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})([smhd])(?:-(\\d{1,9})([smhd]))?");
    private static final String EXPECTED =
            "expected an interval such as 30s, 5m, 1h or 1d (units s, m, h, d)," + " or a range such as 5m-15m";

    public Cadence {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("a cadence interval must be positive, got " + format(min));
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("a cadence range must go from the shorter to the longer interval, got "
                    + format(min) + "-" + format(max));
        }
        if (max.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException(
                    "a cadence interval may be at most " + MAX_INTERVAL.toDays() + "d, got " + format(max));
        }
    }

    /**
     * Parses {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or a range {@code 5m-15m}.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is expected
     */
    public static Cadence parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("cadence is empty: " + EXPECTED);
        }
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("cadence '" + text + "' is not valid: " + EXPECTED);
        }
        Duration low = duration(m.group(1), m.group(2));
        Duration high = m.group(3) == null ? low : duration(m.group(3), m.group(4));
        try {
            return new Cadence(low, high);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cadence '" + text + "' is not valid: " + e.getMessage(), e);
        }
    }

    public static Cadence every(Duration interval) {
        return new Cadence(interval, interval);
    }

    public boolean isRange() {
        return !min.equals(max);
    }

    /** The run after one at {@code last}: {@code last + min} for an interval, a random point of the range otherwise. */
    public Instant next(Instant last, RandomGenerator random) {
        return last.plus(sample(random));
    }

    /** One interval: {@code min}, or for a range a uniformly random duration in [min, max] (millisecond steps). */
    public Duration sample(RandomGenerator random) {
        if (!isRange()) {
            return min;
        }
        long spanMillis = max.toMillis() - min.toMillis();
        return min.plusMillis(random.nextLong(spanMillis + 1));
    }

    @Override
    public String toString() {
        return isRange() ? format(min) + "-" + format(max) : format(min);
    }

    private static Duration duration(String amount, String unit) {
        long n = Long.parseLong(amount);
        if (n > MAX_INTERVAL.toSeconds()) {
            // parse() reports the bound with the original text
            return MAX_INTERVAL.plusDays(1);
        }
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalStateException("unit admitted by the pattern: " + unit);
        };
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 == 0) {
            if (s == 0) {
                return "0s";
            }
            if (s % 86_400 == 0) {
                return s / 86_400 + "d";
            }
            if (s % 3_600 == 0) {
                return s / 3_600 + "h";
            }
            if (s % 60 == 0) {
                return s / 60 + "m";
            }
            return s + "s";
        }
        return d.toString();
    }
}
