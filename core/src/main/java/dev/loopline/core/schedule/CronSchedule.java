package dev.loopline.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;

/**
 * A 5-field cron expression (minute hour day-of-month month day-of-week, as crontab) evaluated in a time
 * zone. The expression matches <em>local wall-clock</em> times. Daylight-saving changes, as Vixie cron
 * treats them:
 *
 * <ul>
 *   <li>A cron with fixed hours (e.g. {@code 30 2 * * *}) runs each wall-clock time at most once.
 *       <b>Skipped local time</b> (spring forward: 02:00–03:00 does not exist in Europe/Berlin on
 *       2026-03-29): the run is shifted forward by the length of the gap (02:30 → 03:30 CEST, as {@link
 *       ZonedDateTime#ofLocal} does); runs that land on the same instant count once. <b>Repeated local
 *       time</b> (fall back: 02:00–03:00 occurs twice on 2026-10-25): the run happens at the first
 *       occurrence only (02:30 CEST).
 *   <li>A cron whose hour field is {@code *} (hourly or more often) follows the clock in real time: it runs
 *       in both passes of a repeated hour and not at all in a skipped one, so {@code *}{@code /15 * * * *}
 *       keeps its rhythm across both changes.
 * </ul>
 */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Enough to step over any gap or overlap; a cron that matches nothing (Feb 30) ends the search. */
    private static final int MAX_STEPS = 1_000;

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime execution;
    private final boolean everyHour;

    private CronSchedule(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.execution = ExecutionTime.forCron(cron);
        this.everyHour = cron.retrieve(CronFieldName.HOUR).getExpression() instanceof Always;
    }

    /**
     * Parses a cron expression and an IANA time zone ({@code null} = UTC).
     *
     * @throws IllegalArgumentException naming what is wrong with the expression or the zone
     */
    public static CronSchedule parse(String expression, String timezone) {
        ZoneId zone = zone(timezone);
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron is empty: expected 5 fields such as '30 2 * * *'");
        }
        String text = expression.strip();
        if (text.split("\\s+").length != 5) {
            throw new IllegalArgumentException("cron '" + expression
                    + "' must have 5 fields (minute hour day-of-month month day-of-week), e.g. '30 2 * * *'");
        }
        Cron cron;
        try {
            cron = PARSER.parse(text).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron '" + expression + "' is not valid: " + e.getMessage(), e);
        }
        return new CronSchedule(text, zone, cron);
    }

    /**
     * An IANA time zone id ({@code null} = UTC).
     *
     * @throws IllegalArgumentException for an unknown or malformed zone
     */
    public static ZoneId zone(String timezone) {
        if (timezone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "timezone '" + timezone + "' is not a known IANA time zone (e.g. Europe/Berlin, UTC)", e);
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * The first run strictly after {@code after}.
     *
     * @throws IllegalStateException when the expression never matches (for example {@code 0 0 30 2 *})
     */
    public Instant next(Instant after) {
        return everyHour ? nextInRealTime(after) : nextByWallClock(after);
    }

    /**
     * Fixed hours: each wall-clock time runs at most once. Wall-clock times are searched on a zone without
     * transitions, then placed on the time line (a gap shifts forward; an overlap takes the first pass).
     */
    private Instant nextByWallClock(Instant after) {
        ZonedDateTime cursor = LocalDateTime.ofInstant(after, zone).atZone(ZoneOffset.UTC);
        for (int i = 0; i < MAX_STEPS; i++) {
            ZonedDateTime match = nextMatch(cursor);
            // ofLocal: a time in a gap moves forward by the gap; in an overlap it takes the earlier offset
            Instant placed =
                    ZonedDateTime.ofLocal(match.toLocalDateTime(), zone, null).toInstant();
            if (placed.isAfter(after)) {
                return placed;
            }
            cursor = match;
        }
        throw new IllegalStateException("cron '" + expression + "' has no run after " + after);
    }

    /**
     * Hour field {@code *}: the expression is matched against the wall clock as it runs, one stretch of
     * constant UTC offset at a time, so a repeated hour is matched in both passes and a skipped one never.
     */
    private Instant nextInRealTime(Instant after) {
        ZoneRules rules = zone.getRules();
        Instant from = after;
        ZoneOffset offset = rules.getOffset(after);
        boolean inclusive = false;
        for (int i = 0; i < MAX_STEPS; i++) {
            ZonedDateTime start = ZonedDateTime.ofInstant(from, offset);
            // a search resumed at a transition may run at the transition instant itself
            Instant match = nextMatch(inclusive ? start.minusSeconds(1) : start).toInstant();
            ZoneOffsetTransition transition = rules.nextTransition(from);
            if (transition == null || match.isBefore(transition.getInstant())) {
                return match;
            }
            from = transition.getInstant();
            offset = transition.getOffsetAfter();
            inclusive = true;
        }
        throw new IllegalStateException("cron '" + expression + "' has no run after " + after);
    }

    private ZonedDateTime nextMatch(ZonedDateTime after) {
        return execution
                .nextExecution(after)
                .orElseThrow(() -> new IllegalStateException("cron '" + expression + "' never matches"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule other && expression.equals(other.expression) && zone.equals(other.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
