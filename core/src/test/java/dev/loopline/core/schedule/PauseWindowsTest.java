package dev.loopline.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.schemas.spec.LoopSpec.PauseWindow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PauseWindowsTest {

    // Europe/Berlin in November: CET = UTC+1; 2026-11-20 is a Friday
    private final PauseWindows windows = PauseWindows.of(
            List.of(
                    new PauseWindow(List.of("sat", "sun"), "00:00", "00:00"), // all weekend, 24 h from each start
                    new PauseWindow(List.of("mon", "tue", "wed", "thu", "fri"), "22:00", "06:00"), // nights
                    new PauseWindow(null, "12:00", "13:00")), // lunch, every day
            "Europe/Berlin");

    private static Instant utc(String text) {
        return Instant.parse(text);
    }

    @Test
    void aTimeOutsideEveryWindowIsKept() {
        assertThat(windows.defer(utc("2026-11-20T09:00:00Z"))).isEqualTo(utc("2026-11-20T09:00:00Z"));
        assertThat(windows.endOfWindowAt(utc("2026-11-20T10:59:59Z"))).isEmpty();
    }

    @Test
    void aTimeInsideAWindowMovesToItsEndInTheLoopsZone() {
        // 12:30 CET is in the lunch window: it ends at 13:00 CET
        assertThat(windows.defer(utc("2026-11-20T11:30:00Z"))).isEqualTo(utc("2026-11-20T12:00:00Z"));
        // the start is inside the window, the end is not
        assertThat(windows.endOfWindowAt(utc("2026-11-20T11:00:00Z"))).contains(utc("2026-11-20T12:00:00Z"));
        assertThat(windows.endOfWindowAt(utc("2026-11-20T12:00:00Z"))).isEmpty();
    }

    @Test
    void anOvernightWindowEndsTheNextMorning() {
        // Tuesday 23:30 CET is in Tuesday's night window, which ends Wednesday 06:00 CET
        assertThat(windows.defer(utc("2026-11-17T22:30:00Z"))).isEqualTo(utc("2026-11-18T05:00:00Z"));
        // Wednesday 05:00 CET is still in it
        assertThat(windows.defer(utc("2026-11-18T04:00:00Z"))).isEqualTo(utc("2026-11-18T05:00:00Z"));
    }

    @Test
    void backToBackWindowsAreFollowedToTheEndOfTheLast() {
        // Friday 23:00 CET: Friday night runs into Saturday and Sunday (whole days) and ends Monday 00:00 CET
        assertThat(windows.defer(utc("2026-11-20T22:00:00Z"))).isEqualTo(utc("2026-11-22T23:00:00Z"));
    }

    @Test
    void aWindowEndingOnTheDaylightSavingChangeEndsAtItsLocalTime() {
        PauseWindows night =
                PauseWindows.of(List.of(new PauseWindow(List.of("sat"), "22:00", "06:00")), "Europe/Berlin");

        // Saturday 2026-03-28 22:00 CET to Sunday 06:00 CEST (04:00 UTC): seven real hours
        assertThat(night.defer(utc("2026-03-28T23:00:00Z"))).isEqualTo(utc("2026-03-29T04:00:00Z"));
    }

    @Test
    void invalidWindowsNameTheField() {
        assertThatThrownBy(() -> PauseWindows.of(List.of(new PauseWindow(List.of("fri"), "9:00", "10:00")), "UTC"))
                .hasMessage("$.pauseWindows[0].from: '9:00' is not a time HH:MM");
        assertThatThrownBy(() -> PauseWindows.of(List.of(new PauseWindow(List.of("fry"), "09:00", "10:00")), "UTC"))
                .hasMessage("$.pauseWindows[0].days: 'fry' is not one of mon..sun");
        assertThatThrownBy(() -> PauseWindows.of(List.of(), "Mars/Olympus"))
                .hasMessageContaining("not a known IANA time zone");
    }
}
