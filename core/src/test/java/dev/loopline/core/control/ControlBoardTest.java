package dev.loopline.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlRecord;
import dev.loopline.schemas.control.ControlScope;
import dev.loopline.schemas.control.ControlSnapshot;
import dev.loopline.schemas.control.KillSwitch;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlBoardTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Instant RESETS = Instant.parse("2026-11-22T00:00:00Z");

    /**
     * Records as {@code kill:<scope>:<id>}, {@code resume:<scope>:<id>} or {@code budget:<action>:<scope>:<id>},
     * applied in order; the admission of loop {@code docs} of team {@code platform}.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            ''                                               | RUN         | ''
            kill:loop:docs                                   | HALT        | kill switch loop:docs set by alice at 2026-11-21T11:00:00Z: because
            kill:team:platform                               | HALT        | kill switch team:platform set by alice
            kill:global:global                               | HALT        | kill switch global:global set by alice
            kill:loop:other                                  | RUN         | ''
            kill:team:payments                               | RUN         | ''
            kill:loop:docs resume:loop:docs                  | RUN         | ''
            resume:loop:docs kill:loop:docs                  | HALT        | kill switch loop:docs
            kill:global:global kill:loop:docs                | HALT        | kill switch global:global
            budget:halt:loop:docs                            | HALT        | budget halt: loop:docs used 100 of its 100-token daily cap (100 %) on 2026-11-21, until 2026-11-22T00:00:00Z
            budget:halt:team:platform                        | HALT        | budget halt: team:platform
            budget:halt:global:global                        | HALT        | budget halt: global used
            budget:report-only:loop:docs                     | REPORT_ONLY | budget report-only: loop:docs used 80 of its 100-token daily cap (80 %)
            budget:report-only:team:platform                 | REPORT_ONLY | budget report-only: team:platform
            budget:alert:loop:docs                           | RUN         | ''
            budget:report-only:loop:docs budget:halt:loop:docs | HALT      | budget halt: loop:docs
            budget:halt:loop:docs budget:report-only:loop:docs | REPORT_ONLY | budget report-only: loop:docs
            budget:report-only:team:platform budget:halt:loop:docs | HALT  | budget halt: loop:docs
            budget:halt:loop:docs kill:loop:docs             | HALT        | kill switch loop:docs
            budget:halt:team:payments                        | RUN         | ''
            budget:halt:loop:other                           | RUN         | ''
            """)
    void admissionOfALoopFollowsTheRecordsInForce(String records, String expected, String reasonPrefix) {
        ControlBoard board = new ControlBoard();
        Arrays.stream(records.split(" "))
                .filter(r -> !r.isBlank())
                .map(ControlBoardTest::parse)
                .forEach(board::apply);

        Admission admission = board.admission("docs", "platform", NOW);

        assertThat(kind(admission)).isEqualTo(expected);
        assertThat(reason(admission)).startsWith(reasonPrefix);
    }

    @Test
    void aMoneyCapCrossingIsToldInDollars() {
        ControlBoard board = new ControlBoard();
        board.apply(new BudgetAlert(
                BudgetAlert.SCOPE,
                ControlScope.TEAM,
                "platform",
                LocalDate.parse("2026-11-21"),
                BudgetAlert.Action.HALT,
                100,
                2005,
                2000,
                RESETS,
                NOW,
                BudgetAlert.Unit.USD_CENTS));

        assertThat(reason(board.admission("docs", "platform", NOW)))
                .isEqualTo("budget halt: team:platform used $20.05 of its $20.00 daily money cap (100 %) on 2026-11-21,"
                        + " until 2026-11-22T00:00:00Z");
    }

    @Test
    void aBudgetAlertLapsesAtResetsAt() {
        ControlBoard board = new ControlBoard();
        board.apply(parse("budget:halt:loop:docs"));

        assertThat(board.admission("docs", null, RESETS.minusMillis(1))).isInstanceOf(Admission.Halt.class);
        assertThat(board.admission("docs", null, RESETS)).isEqualTo(Admission.RUN);
        assertThat(board.admission("docs", null, RESETS.plusSeconds(3600))).isEqualTo(Admission.RUN);
    }

    @Test
    void aTombstoneClearsAKill() {
        ControlBoard board = new ControlBoard();
        board.apply(parse("kill:team:platform"));

        board.remove("team:platform");

        assertThat(board.admission("docs", "platform", NOW)).isEqualTo(Admission.RUN);
        assertThat(board.records()).isEmpty();
    }

    @Test
    void aLoopWithoutTeamIsStillHaltedGloballyAndByItsOwnSwitch() {
        ControlBoard board = new ControlBoard();
        board.apply(parse("kill:loop:docs"));
        assertThat(board.admission("docs", null, NOW).halted()).isTrue();
        assertThat(board.admission("other", "", NOW)).isEqualTo(Admission.RUN);
        board.apply(parse("kill:global:global"));
        assertThat(board.admission("other", null, NOW).halted()).isTrue();
    }

    @Test
    void theHaltNamesTheRecordThatCausedIt() {
        ControlBoard board = new ControlBoard();
        KillSwitch kill = (KillSwitch) parse("kill:loop:docs");
        board.apply(kill);

        Admission.Halt halt = (Admission.Halt) board.admission("docs", "platform", NOW);

        assertThat(halt.cause()).isEqualTo(kill);
        assertThat(halt.reason()).isEqualTo("kill switch loop:docs set by alice at 2026-11-21T11:00:00Z: because");
    }

    @Test
    void aSnapshotFillsABoard() {
        ControlSnapshot snapshot =
                new ControlSnapshot(NOW, List.of((KillSwitch) parse("kill:team:platform")), List.of((BudgetAlert)
                        parse("budget:report-only:loop:other")));

        ControlBoard board = ControlBoard.of(snapshot);

        assertThat(board.admission("docs", "platform", NOW).halted()).isTrue();
        assertThat(board.admission("other", "payments", NOW)).isInstanceOf(Admission.ReportOnly.class);
        assertThat(board.admission("third", "payments", NOW)).isEqualTo(Admission.RUN);
    }

    static ControlRecord parse(String spec) {
        String[] p = spec.split(":");
        Instant at = Instant.parse("2026-11-21T11:00:00Z");
        return switch (p[0]) {
            case "kill", "resume" -> new KillSwitch(
                    ControlScope.fromWireName(p[1]).orElseThrow(),
                    p[2],
                    p[0].equals("kill") ? KillSwitch.State.KILLED : KillSwitch.State.RESUMED,
                    "because",
                    "alice",
                    at);
            case "budget" -> {
                BudgetAlert.Action action =
                        switch (p[1]) {
                            case "halt" -> BudgetAlert.Action.HALT;
                            case "alert" -> BudgetAlert.Action.ALERT;
                            default -> BudgetAlert.Action.REPORT_ONLY;
                        };
                int percent =
                        switch (action) {
                            case HALT -> 100;
                            case ALERT -> 90;
                            case REPORT_ONLY -> 80;
                        };
                yield new BudgetAlert(
                        BudgetAlert.SCOPE,
                        ControlScope.fromWireName(p[2]).orElseThrow(),
                        p[3],
                        LocalDate.parse("2026-11-21"),
                        action,
                        percent,
                        percent,
                        100,
                        RESETS,
                        at);
            }
            default -> throw new IllegalArgumentException(spec);
        };
    }

    static String kind(Admission admission) {
        if (admission instanceof Admission.Halt) {
            return "HALT";
        }
        return admission instanceof Admission.ReportOnly ? "REPORT_ONLY" : "RUN";
    }

    static String reason(Admission admission) {
        if (admission instanceof Admission.Halt halt) {
            return halt.reason();
        }
        return admission instanceof Admission.ReportOnly limited ? limited.reason() : "";
    }
}
