package dev.loopline.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<Instant> runs(CronSchedule cron, Instant after, int count) {
        List<Instant> runs = new ArrayList<>();
        Instant at = after;
        for (int i = 0; i < count; i++) {
            at = cron.next(at);
            runs.add(at);
        }
        return runs;
    }

    private static Instant utc(String text) {
        return Instant.parse(text);
    }

    @Test
    void aDailyCronRunsAtItsLocalTimeInTheLoopsZone() {
        CronSchedule cron = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

        // winter: CET = UTC+1
        assertThat(cron.next(utc("2026-01-10T12:00:00Z"))).isEqualTo(utc("2026-01-11T01:30:00Z"));
        // summer: CEST = UTC+2
        assertThat(cron.next(utc("2026-07-10T12:00:00Z"))).isEqualTo(utc("2026-07-11T00:30:00Z"));
        assertThat(cron.zone()).isEqualTo(BERLIN);
    }

    @Test
    void aLocalTimeSkippedBySpringForwardRunsOnceShiftedByTheGap() {
        // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day
        CronSchedule cron = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

        assertThat(runs(cron, utc("2026-03-28T12:00:00Z"), 2))
                .containsExactly(
                        utc("2026-03-29T01:30:00Z"), // 03:30 CEST: 02:30 moved forward by the one-hour gap
                        utc("2026-03-30T00:30:00Z")); // 02:30 CEST the next day, as usual
    }

    @Test
    void aLocalTimeRepeatedByFallBackRunsOnceAtItsFirstOccurrence() {
        // 2026-10-25 in Berlin: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice
        CronSchedule cron = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

        assertThat(runs(cron, utc("2026-10-24T12:00:00Z"), 2))
                .containsExactly(
                        utc("2026-10-25T00:30:00Z"), // 02:30 CEST, the first pass
                        utc("2026-10-26T01:30:00Z")); // 02:30 CET the next day; no second run in the repeated hour
        // asked during the second pass (02:10 CET), the repeated 02:30 still does not run again
        assertThat(cron.next(utc("2026-10-25T01:10:00Z"))).isEqualTo(utc("2026-10-26T01:30:00Z"));
    }

    @Test
    void anHourlyOrFasterCronFollowsTheClockInRealTimeAcrossBothChanges() {
        CronSchedule quarterly = CronSchedule.parse("*/30 * * * *", "Europe/Berlin");

        // fall back: both passes of 02:00-03:00 run, every 30 minutes of real time
        assertThat(runs(quarterly, utc("2026-10-25T00:00:00Z"), 4))
                .containsExactly(
                        utc("2026-10-25T00:30:00Z"), // 02:30 CEST
                        utc("2026-10-25T01:00:00Z"), // 02:00 CET (second pass)
                        utc("2026-10-25T01:30:00Z"), // 02:30 CET
                        utc("2026-10-25T02:00:00Z")); // 03:00 CET
        // spring forward: the skipped hour has no runs, the rhythm goes on
        assertThat(runs(quarterly, utc("2026-03-29T00:15:00Z"), 3))
                .containsExactly(
                        utc("2026-03-29T00:30:00Z"), // 01:30 CET
                        utc("2026-03-29T01:00:00Z"), // 03:00 CEST (02:00 CET never happens)
                        utc("2026-03-29T01:30:00Z")); // 03:30 CEST
    }

    @Test
    void rangesAndDayNamesRestrictTheRuns() {
        CronSchedule workHours = CronSchedule.parse("0 9-11 * * mon-fri", "Europe/Berlin");

        // from Friday 2026-11-20 10:30 CET: 11:00 Friday, then Monday 09:00
        assertThat(runs(workHours, utc("2026-11-20T09:30:00Z"), 3))
                .containsExactly(utc("2026-11-20T10:00:00Z"), utc("2026-11-23T08:00:00Z"), utc("2026-11-23T09:00:00Z"));
        CronSchedule steps = CronSchedule.parse("15,45 */6 1-7 * *", null);
        assertThat(runs(steps, utc("2026-11-30T23:00:00Z"), 3))
                .containsExactly(utc("2026-12-01T00:15:00Z"), utc("2026-12-01T00:45:00Z"), utc("2026-12-01T06:15:00Z"));
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            30 2 * *        | UTC              | must have 5 fields
            30 2 * * * *    | UTC              | must have 5 fields
            61 2 * * *      | UTC              | is not valid
            30 2 * * funday | UTC              | is not valid
            30 2 * * *      | Europe/Atlantis  | not a known IANA time zone
            30 2 * * *      | +01:00:00:00     | not a known IANA time zone
            """)
    void invalidExpressionsAndZonesAreRejectedWithAReason(String expression, String zone, String message) {
        assertThatThrownBy(() -> CronSchedule.parse(expression, zone))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void twoSchedulesAreEqualWhenExpressionAndZoneAre() {
        assertThat(CronSchedule.parse("0 9 * * *", "UTC"))
                .isEqualTo(CronSchedule.parse(" 0 9 * * * ", "UTC"))
                .isNotEqualTo(CronSchedule.parse("0 9 * * *", "Europe/Berlin"));
    }
}
