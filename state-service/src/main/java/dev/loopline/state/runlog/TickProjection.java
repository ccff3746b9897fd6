package dev.loopline.state.runlog;

import dev.loopline.schemas.events.ApprovalRecorded;
import dev.loopline.schemas.events.ChangeDecided;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.ChangeVerified;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.events.TickTriggered;
import dev.loopline.schemas.spec.LoopSpec;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Folds one event into its tick row. Events of a tick may arrive in any order (five topics, retries, a
 * replay), so every column is merged with an order-independent rule: minimum/maximum for times, counts
 * and tokens, the highest status, "the completion is authoritative, others only fill gaps" for outcome,
 * reason, branch and commit ("the earliest completion wins" when a tick has two), and "fill if empty" for facts every
 * event carries alike (level, kind).
 */
public final class TickProjection {

    public static final String TRIGGERED = "triggered";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";

    private static final List<String> STATUS_ORDER = List.of(TRIGGERED, RUNNING, COMPLETED);

    private TickProjection() {}

    public static void apply(TickEntity tick, Event event) {
        tick.tickId = event.tickId();
        tick.loopId = event.loopId();
        tick.team = event.team();
        tick.startedAt = earliest(tick.startedAt, event.time());
        tick.attempts = Math.max(tick.attempts, event.attempt());
        switch (event.eventType()) {
            case TICK_TRIGGERED -> {
                TickTriggered triggered = event.dataAs(TickTriggered.class);
                tick.status = highest(tick.status, TRIGGERED);
                tick.triggeredAt = earliest(tick.triggeredAt, event.time());
                if (triggered.trigger() != null) {
                    tick.triggerKind = triggered.trigger().kind();
                    tick.triggeredBy = triggered.trigger().by();
                }
                fillFromSpec(tick, triggered.spec());
            }
            case CHANGE_PROPOSED -> {
                ChangeProposed proposed = event.dataAs(ChangeProposed.class);
                tick.status = highest(tick.status, RUNNING);
                tick.tokens = Math.max(tick.tokens, proposed.tickTokens());
                fillFromSpec(tick, proposed.spec());
            }
            case CHANGE_VERIFIED -> {
                ChangeVerified verified = event.dataAs(ChangeVerified.class);
                tick.status = highest(tick.status, RUNNING);
                tick.tokens = Math.max(tick.tokens, verified.tickTokens());
                fillFromSpec(tick, verified.spec());
            }
            case CHANGE_DECIDED -> {
                ChangeDecided decided = event.dataAs(ChangeDecided.class);
                tick.status = highest(tick.status, RUNNING);
                tick.tokens = Math.max(tick.tokens, decided.tickTokens());
                tick.decision = wireName(decided.decision());
                if (tick.completedAt == null) {
                    // the completion, when it arrives (or has arrived), has the last word on these
                    tick.reason = firstNonNull(tick.reason, decided.reason());
                }
                tick.branch = firstNonNull(tick.branch, decided.branch());
                tick.commitSha = firstNonNull(tick.commitSha, decided.commit());
            }
            case TICK_COMPLETED -> {
                TickCompleted completed = event.dataAs(TickCompleted.class);
                tick.tokens = Math.max(tick.tokens, completed.tokens());
                if (tick.completedAt != null && !event.time().isBefore(tick.completedAt)) {
                    // a tick ends once: a later second completion (the deadline sweep's, then the agent's after
                    // all) stays in the run log but does not rewrite the outcome
                    return;
                }
                tick.status = COMPLETED;
                tick.completedAt = event.time();
                tick.outcome = completed.outcome().wireName();
                tick.attempts = Math.max(tick.attempts, completed.attempts());
                tick.reason = firstNonNull(completed.reason(), tick.reason);
                tick.branch = firstNonNull(completed.branch(), tick.branch);
                tick.commitSha = firstNonNull(completed.commit(), tick.commitSha);
            }
            case APPROVAL_RECORDED -> resolve(tick, event, event.dataAs(ApprovalRecorded.class));
        }
    }

    /**
     * An approval record never changes the tick's outcome (a tick ends once); a final one is the tick's resolution:
     * the latest attempt's request wins, and within it the earliest final record.
     */
    private static void resolve(TickEntity tick, Event event, ApprovalRecorded record) {
        if (tick.approvalId == null) {
            tick.approvalId = record.approvalId();
        }
        if (record.state() == ApprovalRecorded.State.OPEN) {
            return;
        }
        boolean laterAttempt = tick.resolutionAttempt == null || event.attempt() > tick.resolutionAttempt;
        boolean earlierInSameAttempt = tick.resolutionAttempt != null
                && event.attempt() == tick.resolutionAttempt
                && event.time().isBefore(tick.resolvedAt);
        if (laterAttempt || earlierInSameAttempt) {
            tick.approvalId = record.approvalId();
            tick.resolution = record.state().wireName();
            tick.resolutionReason = record.reason();
            tick.resolutionAttempt = event.attempt();
            tick.resolvedAt = event.time();
        }
    }

    /** The position of an event type in a tick's life, to order events with equal time and attempt. */
    public static int stageRank(String eventType) {
        return switch (eventType) {
            case "loopline.tick.triggered" -> 0;
            case "loopline.change.proposed" -> 1;
            case "loopline.change.verified" -> 2;
            case "loopline.change.decided" -> 3;
            case "loopline.tick.completed" -> 4;
            case "loopline.approval.recorded" -> 5;
            default -> 6;
        };
    }

    private static void fillFromSpec(TickEntity tick, LoopSpec spec) {
        if (spec == null) {
            return;
        }
        if (tick.level == null && spec.level() != null) {
            tick.level = spec.level().name();
        }
        if (tick.kind == null && spec.kind() != null) {
            tick.kind = wireName(spec.kind());
        }
    }

    private static String highest(String current, String candidate) {
        if (current == null) {
            return candidate;
        }
        return STATUS_ORDER.indexOf(candidate) > STATUS_ORDER.indexOf(current) ? candidate : current;
    }

    private static Instant earliest(Instant current, Instant candidate) {
        return current == null || candidate.isBefore(current) ? candidate : current;
    }

    private static <T> T firstNonNull(T first, T second) {
        return first != null ? first : second;
    }

    private static String wireName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
