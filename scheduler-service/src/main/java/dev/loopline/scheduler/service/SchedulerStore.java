package dev.loopline.scheduler.service;

import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.http.LoopStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the scheduler keeps what must hold across replicas and restarts: operator pauses, anomaly halts and
 * recent outcomes, each loop's cadence/cron slot chain, the tick leases (the collision guard) and leadership of
 * the due-check. Every method is one short transaction; the conditional ones say by their result whether they
 * changed anything, so concurrent replicas never both win.
 */
public interface SchedulerStore {

    /** One loop's stored state; {@code nextRunAt} is the next cadence/cron slot, {@code null} when none. */
    record LoopState(
            String loopId,
            LoopStatus.Pause pause,
            LoopStatus.Halt halt,
            List<TickCompleted.Outcome> recentOutcomes,
            String timingKey,
            Instant nextRunAt,
            Instant lastSlot,
            Instant lastTriggeredAt,
            LoopStatus.Refusal lastRefusal) {

        public static LoopState empty(String loopId) {
            return new LoopState(loopId, null, null, List.of(), null, null, null, null, null);
        }

        public boolean held() {
            return pause != null || halt != null;
        }
    }

    /**
     * A tick in flight: at most one per loop, and at most one with {@code writes} per repository.
     *
     * @param holder the replica that took it
     * @param expiresAt when it no longer blocks (acquired + tick timeout)
     */
    record TickLease(
            String loopId,
            String tickId,
            String team,
            String repo,
            boolean writes,
            String triggerKind,
            String holder,
            Instant acquiredAt,
            Instant expiresAt) {}

    /**
     * Taking a cadence/cron slot with its lease: the loop's {@code next_run_at} must still be {@code slot}; it
     * becomes {@code next}. {@code previousLastSlot} and {@code previousLastTriggered} restore the row when the
     * tick is given back.
     */
    record SlotClaim(Instant slot, Instant next, Instant previousLastSlot, Instant previousLastTriggered) {}

    /** The outcome of {@link #acquire}; {@code blocking} is the lease in the way for the two busy outcomes. */
    record Acquisition(Result result, TickLease blocking) {
        public enum Result {
            ACQUIRED,
            /** The loop has a tick in flight. */
            LOOP_BUSY,
            /** Another writing loop has a tick in flight on the same repository. */
            REPO_BUSY,
            /** The slot was taken (or moved) by another replica. */
            SLOT_TAKEN,
            /** The loop was paused or halted meanwhile (by another replica or request). */
            HELD
        }
    }

    /** The leadership row as the database has it. */
    record LeaderLease(String holder, Instant acquiredAt, Instant expiresAt) {}

    /** Creates rows for loop ids not seen before. */
    void ensureLoops(Collection<String> loopIds);

    /** Every loop's state, the recent outcomes limited to the last {@code window}. */
    Map<String, LoopState> states(int window);

    Optional<LoopState> state(String loopId, int window);

    /**
     * Compare-and-set of a loop's next slot: sets {@code next_run_at} and {@code timing_key} only if they still
     * are {@code expectedNext} and {@code expectedKey} ({@code null} matches null).
     */
    boolean moveNextRun(String loopId, Instant expectedNext, String expectedKey, Instant next, String key);

    /**
     * Skips the slot {@code slot} without a tick (the loop had one in flight, or admission refused it): the next
     * slot becomes {@code next} if the slot was still pending; a refusal, if given, is recorded.
     */
    boolean skipSlot(String loopId, Instant slot, Instant next, LoopStatus.Refusal refusal);

    /** Records why a run was refused (shown as the loop's {@code lastRefusal}). */
    void recordRefusal(String loopId, LoopStatus.Refusal refusal);

    /** Pauses a loop unless paused already; clears its next slot. Returns whether this call paused it. */
    boolean pause(String loopId, LoopStatus.Pause pause);

    /**
     * Clears a pause and a halt, starts a fresh outcome window and sets the next slot, if the loop was held.
     * Returns whether it was.
     */
    boolean resume(String loopId, Instant nextRunAt);

    /** Halts a loop unless halted already; clears its next slot. Returns whether this call halted it. */
    boolean halt(String loopId, LoopStatus.Halt halt);

    /**
     * Takes a tick lease, in one transaction with the slot claim if one is given (cadence/cron), else with
     * setting the loop's last trigger time (manual, event). Expired leases in the way are taken over. Fails
     * without a change when the loop is held, busy, its repository is busy or the slot was taken.
     */
    Acquisition acquire(TickLease lease, SlotClaim claim);

    /** Undoes {@link #acquire} after the tick could not be published; the slot is pending again. */
    void giveBack(TickLease lease, SlotClaim claim, Instant previousLastTriggered);

    /** Releases the lease of a tick (its TickCompleted arrived); idempotent. Returns whether one was held. */
    boolean release(String tickId);

    /** The leases not expired at {@code now}. */
    List<TickLease> liveLeases(Instant now);

    /**
     * Records a tick's outcome once per tick id.
     *
     * @return the loop's outcomes since its last resume, oldest first, at most {@code window}, when recorded
     *     now; empty when this tick's outcome was recorded before (a redelivery)
     */
    Optional<List<TickCompleted.Outcome>> recordOutcome(
            String loopId, String tickId, TickCompleted.Outcome outcome, Instant at, int window);

    /**
     * Takes or renews leadership for {@code ttl} by the database clock, if the row is free, expired or ours.
     *
     * @return the lease when {@code holder} leads now
     */
    Optional<LeaderLease> claimLeadership(String holder, Duration ttl);

    /** The current leadership row, expired or not; empty before any replica led. */
    Optional<LeaderLease> leader();

    /** Gives leadership up (on shutdown) so another replica takes over at its next renewal. */
    void resign(String holder);
}
