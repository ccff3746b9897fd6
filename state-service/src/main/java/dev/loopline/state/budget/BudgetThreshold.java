package dev.loopline.state.budget;

import dev.loopline.schemas.control.BudgetAlert;
import dev.loopline.schemas.control.ControlScope;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The brakes a scope's daily use trips (loop-budget convention): 80 % of the cap → report-only, 90 % → alert,
 * 100 % → halt. A scope with a token and a money cap trips them by whichever is the higher fraction of its cap.
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

    /** Every level {@code used} of {@code cap} USD has reached (none for a zero cap). */
    public static List<BudgetThreshold> reached(BigDecimal used, BigDecimal cap) {
        if (cap.signum() <= 0) {
            return List.of();
        }
        return Arrays.stream(values())
                .filter(t -> used.multiply(HUNDRED).compareTo(cap.multiply(BigDecimal.valueOf(t.percent))) >= 0)
                .toList();
    }

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * A level first reached by a scope on a day, in {@code unit}: {@code used} and {@code cap} are tokens for {@link
     * BudgetUnit#TOKENS}; for {@link BudgetUnit#USD} they are 0 and {@code usedUsd} / {@code capUsd} hold the dollars.
     */
    public record Crossing(
            BudgetScope scope,
            LocalDate day,
            BudgetThreshold level,
            long used,
            long cap,
            Instant resetsAt,
            Instant crossedAt,
            BudgetUnit unit,
            BigDecimal usedUsd,
            BigDecimal capUsd) {

        /** A token crossing. */
        public Crossing(
                BudgetScope scope,
                LocalDate day,
                BudgetThreshold level,
                long used,
                long cap,
                Instant resetsAt,
                Instant crossedAt) {
            this(scope, day, level, used, cap, resetsAt, crossedAt, BudgetUnit.TOKENS, null, null);
        }

        /** A money crossing. */
        public static Crossing usd(
                BudgetScope scope,
                LocalDate day,
                BudgetThreshold level,
                BigDecimal usedUsd,
                BigDecimal capUsd,
                Instant resetsAt,
                Instant crossedAt) {
            return new Crossing(scope, day, level, 0, 0, resetsAt, crossedAt, BudgetUnit.USD, usedUsd, capUsd);
        }

        /** The figures for a log line or a message, with their unit. */
        public String describe() {
            return unit == BudgetUnit.USD
                    ? "$" + usedUsd.stripTrailingZeros().toPlainString() + " of its $"
                            + capUsd.stripTrailingZeros().toPlainString() + " daily money cap"
                    : used + " of its " + cap + "-token daily cap";
        }

        /**
         * The crossing as published on the control topic and POSTed to the webhook. A money crossing carries its
         * figures in whole US cents ({@code used} rounded up, {@code cap} down) with unit {@code usd-cents}; {@code
         * action} and {@code percent} mean the same in both units.
         */
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
                    unit == BudgetUnit.USD ? cents(usedUsd, RoundingMode.CEILING) : used,
                    unit == BudgetUnit.USD ? cents(capUsd, RoundingMode.FLOOR) : cap,
                    resetsAt,
                    crossedAt,
                    unit == BudgetUnit.USD ? BudgetAlert.Unit.USD_CENTS : BudgetAlert.Unit.TOKENS);
        }

        private static long cents(BigDecimal usd, RoundingMode rounding) {
            return usd.movePointRight(2).setScale(0, rounding).longValueExact();
        }

        /** Key on the compacted control topic: the latest level of a scope wins. */
        public String key() {
            return "budget:" + scope.kind().wireName() + ":" + scope.id();
        }
    }
}
