package dev.loopline.core.schedule;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Chooses which due loops get the free tick slots when more loops are due than may run at once.
 *
 * <p>Teams share the slots fairly: each slot goes to the team with the lowest load, where a team's load is
 * its ticks in flight plus those picked in this round, divided by its weight (default 1; a team of weight 2
 * gets twice the share of a team of weight 1). A loop's {@code priority} (lower runs first, as in the spec)
 * orders the loops of one team and breaks ties between teams of equal load; it does not let one team take
 * another's share, so a team cannot starve others by declaring every loop urgent. Among equals, the loop due
 * longest runs first, then the smaller loop id, so the order is deterministic.
 *
 * <p>Pure and stateless; the scheduler passes in what is due and in flight at each check. O(n log n) in the
 * number of due loops.
 */
public final class FairShare {

    /** A loop that is due: {@code dueAt} is when it should have run. */
    public record Candidate(String loopId, String team, int priority, Instant dueAt) {
        public Candidate {
            Objects.requireNonNull(loopId, "loopId");
            Objects.requireNonNull(team, "team");
            Objects.requireNonNull(dueAt, "dueAt");
        }
    }

    /** Within a team: priority, then the longest due, then the id. */
    static final Comparator<Candidate> URGENCY = Comparator.comparingInt(Candidate::priority)
            .thenComparing(Candidate::dueAt)
            .thenComparing(Candidate::loopId);

    private final Map<String, Integer> weights;

    /** Every team weighs 1. */
    public FairShare() {
        this(Map.of());
    }

    /**
     * @param weights team → weight (≥ 1); teams not listed weigh 1
     * @throws IllegalArgumentException for a weight below 1
     */
    public FairShare(Map<String, Integer> weights) {
        weights.forEach((team, weight) -> {
            if (weight == null || weight < 1) {
                throw new IllegalArgumentException("team weight of " + team + " must be at least 1, got " + weight);
            }
        });
        this.weights = Map.copyOf(weights);
    }

    /**
     * The candidates to trigger now, in the order they should be triggered, at most {@code freeSlots}.
     *
     * @param due the loops due now (each loop at most once)
     * @param inFlightByTeam ticks in flight per team (teams not listed have none)
     * @param freeSlots how many ticks may start now; negative counts as none
     */
    public List<Candidate> pick(Collection<Candidate> due, Map<String, Integer> inFlightByTeam, int freeSlots) {
        if (freeSlots <= 0 || due.isEmpty()) {
            return List.of();
        }
        Map<String, TeamQueue> byTeam = new HashMap<>();
        for (Candidate c : due) {
            byTeam.computeIfAbsent(
                            c.team(), t -> new TeamQueue(inFlightByTeam.getOrDefault(t, 0), weights.getOrDefault(t, 1)))
                    .loops
                    .add(c);
        }
        PriorityQueue<TeamQueue> teams = new PriorityQueue<>(
                Comparator.<TeamQueue>comparingDouble(TeamQueue::load).thenComparing(TeamQueue::head, URGENCY));
        for (TeamQueue q : byTeam.values()) {
            q.sort();
            teams.add(q);
        }
        int n = Math.min(freeSlots, due.size());
        List<Candidate> picked = new ArrayList<>(n);
        while (picked.size() < n) {
            TeamQueue q = teams.poll();
            picked.add(q.take());
            if (q.hasMore()) {
                teams.add(q);
            }
        }
        return picked;
    }

    /** One team's due loops, most urgent first, and its load so far. */
    private static final class TeamQueue {
        final int weight;
        int running;
        List<Candidate> loops = new ArrayList<>();
        private ArrayDeque<Candidate> ordered;

        TeamQueue(int running, int weight) {
            this.running = Math.max(0, running);
            this.weight = weight;
        }

        void sort() {
            loops.sort(URGENCY);
            ordered = new ArrayDeque<>(loops);
            loops = null;
        }

        double load() {
            return (double) running / weight;
        }

        Candidate head() {
            return ordered.peekFirst();
        }

        Candidate take() {
            running++;
            return ordered.pollFirst();
        }

        boolean hasMore() {
            return !ordered.isEmpty();
        }
    }
}
