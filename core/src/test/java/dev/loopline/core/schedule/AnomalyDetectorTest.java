package dev.loopline.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.schedule.AnomalyDetector.Anomaly;
import dev.loopline.core.schedule.AnomalyDetector.Kind;
import dev.loopline.schemas.events.TickCompleted.Outcome;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnomalyDetectorTest {

    private final AnomalyDetector detector = new AnomalyDetector();

    private static List<Outcome> outcomes(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.trim().split("\\s+"))
                .map(s -> Outcome.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_')))
                .toList();
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            textBlock =
                    """
            # outcomes, oldest first            | anomaly
            ''                                  | none
            error error                         | none
            error error error                   | STALL
            escalated escalated escalated       | STALL
            rejected rejected rejected          | STALL
            no-op error error error             | STALL
            merged rejected rejected rejected   | STALL
            error error escalated               | none
            error escalated rejected            | none
            error error error no-op             | none
            no-op no-op no-op                   | none
            reported reported reported reported | none
            proposed error proposed error       | OSCILLATION
            error proposed error proposed       | OSCILLATION
            merged rejected merged rejected     | OSCILLATION
            proposed escalated merged error     | OSCILLATION
            no-op proposed error proposed error | OSCILLATION
            proposed error proposed             | none
            proposed error proposed no-op       | none
            proposed merged proposed merged     | none
            error rejected error rejected       | none
            reported no-op reported no-op       | none
            merged no-op merged no-op           | none
            no-op merged no-op merged           | none
            awaiting-approval error awaiting-approval error | none
            proposed error error error          | STALL
            halted halted halted                | none
            error halted error halted error     | STALL
            proposed halted error proposed error | OSCILLATION
            halted halted halted merged         | none
            """)
    void detectsStallsAndOscillationsOnlyForFailingPatterns(String recent, Kind expected) {
        Optional<Anomaly> anomaly = detector.detect(outcomes(recent));

        assertThat(anomaly.map(Anomaly::kind)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void theDetailNamesTheOutcomes() {
        assertThat(detector.detect(outcomes("no-op rejected rejected rejected")))
                .contains(new Anomaly(Kind.STALL, "the last 3 ticks all ended rejected"));
        assertThat(detector.detect(outcomes("proposed error merged escalated")))
                .contains(
                        new Anomaly(
                                Kind.OSCILLATION,
                                "the last 4 ticks alternate between proposing and failing: proposed, error, merged, escalated"));
    }

    @Test
    void theWindowCanShowBothAnomalies() {
        assertThat(AnomalyDetector.MIN_WINDOW).isEqualTo(4);
        assertThat(Kind.OSCILLATION.wireName()).isEqualTo("oscillation");
    }
}
