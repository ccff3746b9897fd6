package dev.loopline.state.service;

import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlScope;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The brakes a scope's daily use trips (loop-budget convention): 80 % of the cap → report-only, 90 % → alert,
 * 100 % → halt.
 */
public enum BudgetThreshold {
    REPORT_ONLY("report-only", 80),
    ALERT("alert", 90),
    HALT("halt", 100);

    private final String wireName;
    private final int percent;

    BudgetThreshold(String wireName, int percent) {
        this.wireName = wireName;
        this.percent = percent;
    }

    public String wireName() {
        return wireName;
    }

    public int percent() {
        return percent;
    }

    /** The level with this wire name ({@code report-only}, {@code alert}, {@code halt}). */
    public static BudgetThreshold fromWireName(String wireName) {
        for (BudgetThreshold level : values()) {
            if (level.wireName.equals(wireName)) {
                return level;
            }
        }
        throw new IllegalArgumentException("no budget threshold " + wireName);
    }

    /** Every level {@code used} of {@code cap} has reached (none for a zero cap, which nothing can use). */
    public static List<BudgetThreshold> reached(long used, long cap) {
        if (cap <= 0) {
            return List.of();
        }
        return Arrays.stream(values())
                .filter(t -> Math.multiplyExact(used, 100L) >= Math.multiplyExact(cap, (long) t.percent))
                .toList();
    }

    /** A level first reached by a scope on a day. */
    public record Crossing(
            BudgetScope scope,
            LocalDate day,
            BudgetThreshold level,
            long used,
            long cap,
            Instant resetsAt,
            Instant crossedAt) {

        /** The crossing as published on the control topic and POSTed to the webhook. */
        public BudgetAlert alert() {
            return new BudgetAlert(
                    BudgetAlert.SCOPE,
                    ControlScope.fromWireName(scope.kind().wireName()).orElseThrow(),
                    scope.id(),
                    day,
                    switch (level) {
                        case REPORT_ONLY -> BudgetAlert.Action.REPORT_ONLY;
                        case ALERT -> BudgetAlert.Action.ALERT;
                        case HALT -> BudgetAlert.Action.HALT;
                    },
                    level.percent(),
                    used,
                    cap,
                    resetsAt,
                    crossedAt);
        }

        /** Key on the compacted control topic: the latest level of a scope wins. */
        public String key() {
            return "budget:" + scope.kind().wireName() + ":" + scope.id();
        }
    }
}
