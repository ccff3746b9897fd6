package dev.loopline.core.spec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cadence as written in specs: one interval ({@code 1d}) or a range ({@code 5m-15m}). Ranges may be
 * written longest-first ({@code 1d-2h}, as the published loop-engineering registry does);
 * {@link #normalized()} writes them shortest-first. Only for reading and planning: the scheduler owns
 * when a loop actually runs.
 */
public record CadenceRange(long minSeconds, long maxSeconds, boolean writtenLongestFirst) {

    private static final Pattern FORM = Pattern.compile("^(\\d+)([smhd])(?:-(\\d+)([smhd]))?$");

    public static Optional<CadenceRange> parse(String cadence) {
        if (cadence == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(cadence.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long first = seconds(m.group(1), m.group(2));
        if (m.group(3) == null) {
            return first > 0 ? Optional.of(new CadenceRange(first, first, false)) : Optional.empty();
        }
        long second = seconds(m.group(3), m.group(4));
        if (first <= 0 || second <= 0) {
            return Optional.empty();
        }
        return Optional.of(new CadenceRange(Math.min(first, second), Math.max(first, second), first > second));
    }

    public boolean isRange() {
        return minSeconds != maxSeconds;
    }

    /** Runs per day at the shortest interval (the most a loop can run). */
    public double maxRunsPerDay() {
        return round2(86_400.0 / minSeconds);
    }

    /** Runs per day at the longest interval. */
    public double minRunsPerDay() {
        return round2(86_400.0 / maxSeconds);
    }

    public String normalized() {
        return isRange() ? format(minSeconds) + "-" + format(maxSeconds) : format(minSeconds);
    }

    private static long seconds(String amount, String unit) {
        long n;
        try {
            n = Long.parseLong(amount);
        } catch (NumberFormatException e) {
            return -1;
        }
        long factor =
                switch (unit) {
                    case "s" -> 1;
                    case "m" -> 60;
                    case "h" -> 3_600;
                    default -> 86_400;
                };
        return n > Long.MAX_VALUE / factor ? -1 : n * factor;
    }

    private static String format(long seconds) {
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
