package dev.loopline.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.control.ControlRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ControlBoardPropertiesTest {

    private static final List<String> SCOPES =
            List.of("global:global", "team:platform", "team:payments", "loop:docs", "loop:other");

    /** Loop and team pairs whose admission is compared. */
    private static final List<String[]> QUERIES = List.of(
            new String[] {"docs", "platform"},
            new String[] {"other", "platform"},
            new String[] {"docs", "payments"},
            new String[] {"other", null},
            new String[] {"third", "payments"});

    @Provide
    Arbitrary<List<String>> records() {
        Arbitrary<String> record = Arbitraries.of(SCOPES)
                .flatMap(scope -> Arbitraries.of(
                        "kill:" + scope,
                        "resume:" + scope,
                        "budget:halt:" + scope,
                        "budget:report-only:" + scope,
                        "budget:alert:" + scope));
        return record.list().ofMaxSize(20);
    }

    @Property
    void recordsOfDifferentKeysCommuteInAnyOrder(@ForAll("records") List<String> specs, @ForAll long seed) {
        Map<String, ControlRecord> oneEach = new LinkedHashMap<>();
        specs.stream().map(ControlBoardTest::parse).forEach(r -> oneEach.putIfAbsent(r.key(), r));
        List<ControlRecord> shuffled = new ArrayList<>(oneEach.values());
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(admissions(board(shuffled))).isEqualTo(admissions(board(List.copyOf(oneEach.values()))));
    }

    @Property
    void theLatestRecordOfAKeyWins(@ForAll("records") List<String> specs) {
        List<ControlRecord> all = specs.stream().map(ControlBoardTest::parse).toList();
        Map<String, ControlRecord> last = new LinkedHashMap<>();
        all.forEach(r -> last.put(r.key(), r));

        assertThat(admissions(board(all))).isEqualTo(admissions(board(List.copyOf(last.values()))));
        assertThat(board(all).records()).containsExactlyInAnyOrderElementsOf(last.values());
    }

    @Property
    void aKillAppliedLastAlwaysHaltsTheLoopsItCovers(
            @ForAll("records") List<String> specs, @ForAll("killOfDocsScopes") String kill) {
        ControlBoard board = board(specs.stream().map(ControlBoardTest::parse).toList());
        board.apply(ControlBoardTest.parse(kill));

        assertThat(board.admission("docs", "platform", ControlBoardTest.NOW).halted())
                .isTrue();
    }

    @Property
    void everythingLapsesOrRunsOnceTheDayResetsUnlessKilled(@ForAll("records") List<String> specs) {
        List<ControlRecord> all = specs.stream().map(ControlBoardTest::parse).toList();
        ControlBoard board = board(all);
        Instant nextDay = ControlBoardTest.RESETS;

        for (String[] q : QUERIES) {
            Admission admission = board.admission(q[0], q[1], nextDay);
            assertThat(admission instanceof Admission.ReportOnly).isFalse();
            if (admission instanceof Admission.Halt halt) {
                assertThat(halt.reason()).startsWith("kill switch ");
            }
        }
    }

    @Provide
    Arbitrary<String> killOfDocsScopes() {
        return Arbitraries.of("kill:global:global", "kill:team:platform", "kill:loop:docs");
    }

    private static ControlBoard board(List<ControlRecord> records) {
        ControlBoard board = new ControlBoard();
        records.forEach(board::apply);
        return board;
    }

    private static List<String> admissions(ControlBoard board) {
        return QUERIES.stream()
                .map(q -> {
                    Admission a = board.admission(q[0], q[1], ControlBoardTest.NOW);
                    return ControlBoardTest.kind(a) + " " + ControlBoardTest.reason(a);
                })
                .toList();
    }
}
