package dev.loopline.core.schedule;

import dev.loopline.schemas.spec.LoopSpec;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Local times (in the loop's time zone) when a loop must not start. A window starts at {@code from} on each of
 * its days and lasts until {@code to} — the next day when {@code to} is earlier than {@code from}, 24 hours
 * when they are equal. A run that falls due inside a window is moved to the window's end; overlapping or
 * back-to-back windows are followed to the end of the last one.
 */
public record PauseWindows(List<Window> windows, ZoneId zone) {

    /** Days as written in specs. */
    private static final Map<String, DayOfWeek> DAYS = Map.of(
            "mon", DayOfWeek.MONDAY,
            "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY,
            "thu", DayOfWeek.THURSDAY,
            "fri", DayOfWeek.FRIDAY,
            "sat", DayOfWeek.SATURDAY,
            "sun", DayOfWeek.SUNDAY);

    /** Bounds the walk through chained windows (a week of back-to-back windows is far fewer). */
    private static final int MAX_CHAIN = 64;

    public static final PauseWindows NONE = new PauseWindows(List.of(), java.time.ZoneOffset.UTC);

    /** One window: the days it starts on, its start and its length. */
    public record Window(Set<DayOfWeek> days, LocalTime from, Duration length) {
        public Window {
            days = Set.copyOf(days);
        }
    }

    public PauseWindows {
        windows = List.copyOf(windows);
    }

    /**
     * Reads a spec's windows in its time zone.
     *
     * @throws IllegalArgumentException naming the window (as a JSON path) and what is wrong
     */
    public static PauseWindows of(List<LoopSpec.PauseWindow> specWindows, String timezone) {
        ZoneId zone = CronSchedule.zone(timezone);
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < specWindows.size(); i++) {
            LoopSpec.PauseWindow w = specWindows.get(i);
            String at = "$.pauseWindows[" + i + "]";
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            if (w.days() == null) {
                days = EnumSet.allOf(DayOfWeek.class);
            } else {
                for (String day : w.days()) {
                    DayOfWeek d = day == null ? null : DAYS.get(day.toLowerCase(Locale.ROOT));
                    if (d == null) {
                        throw new IllegalArgumentException(at + ".days: '" + day + "' is not one of mon..sun");
                    }
                    days.add(d);
                }
            }
            LocalTime from = time(w.from(), at + ".from");
            LocalTime to = time(w.to(), at + ".to");
            Duration length = Duration.between(from, to);
            if (length.isZero() || length.isNegative()) {
                length = length.plusDays(1);
            }
            windows.add(new Window(days, from, length));
        }
        return new PauseWindows(windows, zone);
    }

    private static LocalTime time(String text, String at) {
        try {
            return LocalTime.parse(text == null ? "" : text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(at + ": '" + text + "' is not a time HH:MM");
        }
    }

    public boolean isEmpty() {
        return windows.isEmpty();
    }

    /** The end of the window {@code t} falls in (the latest end if several), or empty when none. */
    public Optional<Instant> endOfWindowAt(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
        Instant latest = null;
        for (Window w : windows) {
            // a window that started yesterday may still be open
            for (int back = 0; back <= 1 + (int) w.length().toDays(); back++) {
                LocalDateTime start = local.toLocalDate().minusDays(back).atTime(w.from());
                if (!w.days().contains(start.getDayOfWeek())) {
                    continue;
                }
                Instant from = ZonedDateTime.ofLocal(start, zone, null).toInstant();
                Instant to = ZonedDateTime.ofLocal(start.plus(w.length()), zone, null)
                        .toInstant();
                if (!t.isBefore(from) && t.isBefore(to) && (latest == null || to.isAfter(latest))) {
                    latest = to;
                }
            }
        }
        return Optional.ofNullable(latest);
    }

    /** {@code t} if it is outside every window, else the end of the window(s) it falls in. */
    public Instant defer(Instant t) {
        Instant at = t;
        for (int i = 0; i < MAX_CHAIN; i++) {
            Optional<Instant> end = endOfWindowAt(at);
            if (end.isEmpty()) {
                return at;
            }
            at = end.get();
        }
        return at;
    }
}
