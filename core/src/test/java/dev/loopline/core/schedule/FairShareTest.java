package dev.loopline.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.core.schedule.FairShare.Candidate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FairShareTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private final FairShare fair = new FairShare();

    private static Candidate loop(String id, String team, int priority, int dueSecondsAgo) {
        return new Candidate(id, team, priority, T0.minusSeconds(dueSecondsAgo));
    }

    private static List<String> ids(List<Candidate> picked) {
        return picked.stream().map(Candidate::loopId).toList();
    }

    @Test
    void alternatesBetweenTeamsInsteadOfServingTheBiggestTeamFirst() {
        List<Candidate> due = List.of(
                loop("a1", "alpha", 100, 10),
                loop("a2", "alpha", 100, 9),
                loop("a3", "alpha", 100, 8),
                loop("a4", "alpha", 100, 7),
                loop("b1", "beta", 100, 1),
                loop("b2", "beta", 100, 0));

        assertThat(ids(fair.pick(due, Map.of(), 4))).containsExactly("a1", "b1", "a2", "b2");
    }

    @Test
    void aTeamWithTicksInFlightWaitsUntilTheOthersCatchUp() {
        List<Candidate> due =
                List.of(loop("a1", "alpha", 0, 60), loop("b1", "beta", 100, 0), loop("b2", "beta", 100, 0));

        assertThat(ids(fair.pick(due, Map.of("alpha", 2), 2))).containsExactly("b1", "b2");
        assertThat(ids(fair.pick(due, Map.of("alpha", 2), 3))).containsExactly("b1", "b2", "a1");
    }

    @Test
    void urgentPrioritiesDoNotLetATeamTakeAnotherTeamsShare() {
        List<Candidate> due = List.of(
                loop("a1", "alpha", 0, 0),
                loop("a2", "alpha", 0, 0),
                loop("a3", "alpha", 0, 0),
                loop("b1", "beta", 1000, 0));

        assertThat(ids(fair.pick(due, Map.of(), 2))).containsExactly("a1", "b1");
    }

    @Test
    void priorityOrdersATeamsLoopsAndBreaksTiesBetweenTeams() {
        List<Candidate> due = List.of(
                loop("a-low", "alpha", 150, 600), loop("a-high", "alpha", 50, 0), loop("b-mid", "beta", 100, 0));

        assertThat(ids(fair.pick(due, Map.of(), 3))).containsExactly("a-high", "b-mid", "a-low");
    }

    @Test
    void amongEqualsTheLoopDueLongestRunsFirstThenTheSmallerId() {
        List<Candidate> due =
                List.of(loop("c", "alpha", 100, 5), loop("b", "alpha", 100, 30), loop("a", "alpha", 100, 5));

        assertThat(ids(fair.pick(due, Map.of(), 3))).containsExactly("b", "a", "c");
    }

    @Test
    void aTeamOfWeightTwoGetsTwiceTheShare() {
        FairShare weighted = new FairShare(Map.of("alpha", 2));
        List<Candidate> due = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            due.add(loop("a" + i, "alpha", 100, 0));
            due.add(loop("b" + i, "beta", 100, 0));
        }

        Map<String, Long> perTeam = weighted.pick(due, Map.of(), 9).stream()
                .collect(Collectors.groupingBy(Candidate::team, Collectors.counting()));

        assertThat(perTeam).containsEntry("alpha", 6L).containsEntry("beta", 3L);
    }

    @Test
    void noFreeSlotsPicksNothing() {
        List<Candidate> due = List.of(loop("a1", "alpha", 100, 0));

        assertThat(fair.pick(due, Map.of(), 0)).isEmpty();
        assertThat(fair.pick(due, Map.of(), -3)).isEmpty();
        assertThat(fair.pick(List.of(), Map.of(), 5)).isEmpty();
    }

    @Test
    void refusesAWeightBelowOne() {
        assertThatThrownBy(() -> new FairShare(Map.of("alpha", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha")
                .hasMessageContaining("at least 1");
    }

    @Property
    void picksDistinctDueLoopsUpToTheFreeSlots(
            @ForAll("dueLoops") List<Candidate> due, @ForAll @IntRange(min = 0, max = 60) int slots) {
        List<Candidate> picked = fair.pick(due, Map.of(), slots);

        assertThat(picked).hasSize(Math.min(slots, due.size()));
        assertThat(new HashSet<>(picked)).hasSize(picked.size());
        assertThat(due).containsAll(picked);
    }

    @Property
    void eachTeamGetsItsMostUrgentLoopsInOrder(
            @ForAll("dueLoops") List<Candidate> due, @ForAll @IntRange(min = 0, max = 60) int slots) {
        List<Candidate> picked = fair.pick(due, Map.of(), slots);

        Map<String, List<Candidate>> pickedByTeam = picked.stream().collect(Collectors.groupingBy(Candidate::team));
        pickedByTeam.forEach((team, mine) -> {
            List<Candidate> all = new ArrayList<>(
                    due.stream().filter(c -> c.team().equals(team)).toList());
            all.sort(FairShare.URGENCY);
            assertThat(mine).containsExactlyElementsOf(all.subList(0, mine.size()));
        });
    }

    @Property
    void teamLoadsStayWithinOneOfEachOtherWhileTheyHaveLoopsLeft(
            @ForAll("dueLoops") List<Candidate> due,
            @ForAll("inFlight") Map<String, Integer> inFlight,
            @ForAll @IntRange(min = 0, max = 60) int slots) {
        List<Candidate> picked = fair.pick(due, inFlight, slots);

        Map<String, Integer> load = new HashMap<>(inFlight);
        picked.forEach(c -> load.merge(c.team(), 1, Integer::sum));
        Map<String, Long> dueByTeam =
                due.stream().collect(Collectors.groupingBy(Candidate::team, Collectors.counting()));
        Map<String, Long> pickedByTeam =
                picked.stream().collect(Collectors.groupingBy(Candidate::team, Collectors.counting()));
        // a team that still has a loop waiting was never passed over for a team that ends more than one above it
        for (String waiting : dueByTeam.keySet()) {
            if (pickedByTeam.getOrDefault(waiting, 0L) < dueByTeam.get(waiting)) {
                int waitingLoad = load.getOrDefault(waiting, 0);
                for (String other : pickedByTeam.keySet()) {
                    assertThat(load.get(other))
                            .as("team %s (load %s) vs waiting team %s", other, load.get(other), waiting)
                            .isLessThanOrEqualTo(waitingLoad + 1);
                }
            }
        }
    }

    @Property
    void theOrderOfTheInputDoesNotMatter(@ForAll("dueLoops") List<Candidate> due, @ForAll long seed) {
        List<Candidate> shuffled = new ArrayList<>(due);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(fair.pick(shuffled, Map.of("t1", 1), 7)).isEqualTo(fair.pick(due, Map.of("t1", 1), 7));
    }

    @Provide
    Arbitrary<List<Candidate>> dueLoops() {
        Arbitrary<String> team = Arbitraries.of("t0", "t1", "t2", "t3");
        Arbitrary<Integer> priority = Arbitraries.of(0, 50, 100, 150);
        Arbitrary<Integer> ago = Arbitraries.integers().between(0, 120);
        return Combinators.combine(team, priority, ago)
                .as((t, p, a) -> new Object[] {t, p, a})
                .list()
                .ofMaxSize(40)
                .map(rows -> {
                    List<Candidate> out = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        Object[] r = rows.get(i);
                        out.add(loop("loop-" + i, (String) r[0], (Integer) r[1], (Integer) r[2]));
                    }
                    return out;
                });
    }

    @Provide
    Arbitrary<Map<String, Integer>> inFlight() {
        return Arbitraries.maps(
                        Arbitraries.of("t0", "t1", "t2", "t3"),
                        Arbitraries.integers().between(0, 5))
                .ofMaxSize(4);
    }
}
