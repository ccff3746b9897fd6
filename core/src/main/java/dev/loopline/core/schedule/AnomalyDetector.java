package dev.loopline.core.schedule;

import dev.loopline.schemas.events.TickCompleted.Outcome;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Spots a loop that keeps failing the same way or flaps between proposing and failing, from its most recent
 * tick outcomes, so the scheduler can halt it before it burns budget.
 *
 * <ul>
 *   <li><b>stall</b>: the last {@value #STALL_RUN} outcomes are identical and failing (error, escalated,
 *       rejected);
 *   <li><b>oscillation</b>: the last {@value #OSCILLATION_RUN} outcomes strictly alternate between a proposing
 *       outcome (proposed, merged) and a failing one, in either order (a change goes in, the next run fails,
 *       ...).
 * </ul>
 *
 * Healthy alternation, such as reported/no-op or merged/no-op, is not an anomaly: unlike the earlier tool,
 * which flagged any A,B,A,B run, only the proposing/failing pair counts. A stall is reported before an
 * oscillation. A {@code halted} tick was stopped from outside (a kill switch, a budget): it says nothing about the
 * loop, so it is left out of the history — a kill must not leave a loop stall-halted once it is lifted.
 */
public final class AnomalyDetector {

    /** How many identical failing outcomes in a row make a stall. */
    public static final int STALL_RUN = 3;

    /** How many alternating proposing/failing outcomes make an oscillation. */
    public static final int OSCILLATION_RUN = 4;

    /** The smallest history that can show both anomalies. */
    public static final int MIN_WINDOW = Math.max(STALL_RUN, OSCILLATION_RUN);

    static final Set<Outcome> FAILING = EnumSet.of(Outcome.ERROR, Outcome.ESCALATED, Outcome.REJECTED);
    static final Set<Outcome> PROPOSING = EnumSet.of(Outcome.PROPOSED, Outcome.MERGED);

    public enum Kind {
        STALL,
        OSCILLATION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What was found, with a sentence naming the outcomes. */
    public record Anomaly(Kind kind, String detail) {}

    /**
     * @param recent the loop's most recent outcomes, oldest first (longer histories are fine; only the tail
     *     is read)
     */
    public Optional<Anomaly> detect(List<Outcome> history) {
        List<Outcome> recent = history.stream().filter(o -> o != Outcome.HALTED).toList();
        int n = recent.size();
        if (n >= STALL_RUN) {
            List<Outcome> tail = recent.subList(n - STALL_RUN, n);
            Outcome last = tail.get(STALL_RUN - 1);
            if (FAILING.contains(last) && tail.stream().allMatch(last::equals)) {
                return Optional.of(
                        new Anomaly(Kind.STALL, "the last " + STALL_RUN + " ticks all ended " + last.wireName()));
            }
        }
        if (n >= OSCILLATION_RUN) {
            List<Outcome> tail = recent.subList(n - OSCILLATION_RUN, n);
            if (alternates(tail)) {
                return Optional.of(new Anomaly(
                        Kind.OSCILLATION,
                        "the last " + OSCILLATION_RUN + " ticks alternate between proposing and failing: "
                                + tail.stream().map(Outcome::wireName).collect(Collectors.joining(", "))));
            }
        }
        return Optional.empty();
    }

    private static boolean alternates(List<Outcome> tail) {
        boolean proposingFirst = PROPOSING.contains(tail.get(0));
        for (int i = 0; i < tail.size(); i++) {
            boolean expectProposing = (i % 2 == 0) == proposingFirst;
            if (!(expectProposing ? PROPOSING : FAILING).contains(tail.get(i))) {
                return false;
            }
        }
        return true;
    }
}
