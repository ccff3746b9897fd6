package dev.loopline.core.retry;

import dev.loopline.schemas.events.EarlierAttempt;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The behavioural breaker of reflexion retries: a tick stops retrying (and escalates, saying why) when an attempt
 * fails the same way an earlier one did, or proposes a diff an earlier attempt already proposed. Either way another
 * attempt would most likely repeat it, spending tokens without progress.
 *
 * <p>Reasons are compared normalised ({@link #normalise}): case, whitespace, numbers (durations, counts, line numbers)
 * and the order of the reasons do not make two failures different.
 */
public final class RetryBreaker {

    private RetryBreaker() {}

    /**
     * Why retrying stops because attempt {@code attempt} failed with {@code reasons} as an earlier attempt did; empty
     * when its failure is new (or it gave no reasons to compare).
     */
    public static Optional<String> repeatedFailure(List<EarlierAttempt> earlier, int attempt, List<String> reasons) {
        String mine = normalise(reasons);
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        for (EarlierAttempt e : earlier) {
            if (normalise(e.reasons()).equals(mine)) {
                return Optional.of("attempt " + attempt + " failed the same way as attempt " + e.attempt() + " ("
                        + String.join("; ", reasons) + "): the breaker stops retrying a repeated failure");
            }
        }
        return Optional.empty();
    }

    /**
     * Why retrying stops because attempt {@code attempt} proposed the diff (by its SHA-256) an earlier attempt did;
     * empty when it is new.
     */
    public static Optional<String> noProgress(List<EarlierAttempt> earlier, int attempt, String diffSha256) {
        for (EarlierAttempt e : earlier) {
            if (e.diffSha256() != null && e.diffSha256().equals(diffSha256)) {
                return Optional.of("attempt " + attempt + " made no progress: it proposed the same diff as attempt "
                        + e.attempt() + " (sha256 " + diffSha256.substring(0, Math.min(12, diffSha256.length()))
                        + "), which the checker rejected; the breaker stops retrying");
            }
        }
        return Optional.empty();
    }

    /**
     * The reasons as compared: each lower-cased, every run of digits one {@code #}, whitespace collapsed, blank ones
     * dropped; then sorted and joined by newlines. Empty when there are none.
     */
    public static String normalise(List<String> reasons) {
        if (reasons == null) {
            return "";
        }
        return reasons.stream()
                .map(RetryBreaker::normaliseOne)
                .filter(r -> !r.isEmpty())
                .sorted()
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }

    private static String normaliseOne(String reason) {
        StringBuilder out = new StringBuilder(reason.length());
        boolean space = false;
        boolean digits = false;
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
                digits = false;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            if (Character.isDigit(c)) {
                if (!digits) {
                    out.append('#');
                    digits = true;
                }
                continue;
            }
            digits = false;
            out.append(Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
