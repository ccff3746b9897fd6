package dev.loopline.state.budget;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Reports on the budget ledger, read only: every scope's budget today (cap, spent, live holds, remaining, burn rate
 * and when the cap runs out at that rate, in tokens and in USD) and what each scope spent on its last days. Days are
 * the scopes' own ({@link BudgetCaps#zoneOf}), as the ledger books them.
 */
@ApplicationScoped
public class BudgetOverviewService {

    /**
     * One scope's budget today. {@code cap} and {@code remaining} are empty when the scope has no token cap; the
     * {@code usd…} figures that depend on a cap (cap, remaining, burn rate, projection) are empty without a money cap;
     * {@code costUsd} is the USD settled today, {@code usdHeld} the USD of today's live holds.
     */
    public record ScopeBudget(
            BudgetScope scope,
            LocalDate day,
            String timeZone,
            OptionalLong cap,
            long spent,
            long overshoot,
            long held,
            OptionalLong remaining,
            Instant resetsAt,
            long burnRatePerHour,
            Optional<Instant> projectedExhaustionAt,
            BigDecimal costUsd,
            Optional<BigDecimal> usdCap,
            BigDecimal usdHeld,
            Optional<BigDecimal> usdRemaining,
            Optional<BigDecimal> usdBurnRatePerHour,
            Optional<Instant> usdProjectedExhaustionAt) {}

    /** One scope's settled use on one of its days. */
    public record DayUse(BudgetScope scope, LocalDate day, long spent, long overshoot, BigDecimal costUsd) {}

    @Inject
    BudgetRepository ledger;

    @Inject
    BudgetCaps caps;

    @Inject
    BudgetConfig config;

    @Inject
    Clock clock;

    /**
     * What every scope spent on each of its last {@code days} days (today included), oldest first; a day a scope
     * spent nothing on is left out. Days are the scopes' own (a team's time zone), as the ledger books them.
     */
    @Transactional
    public List<DayUse> history(int days) {
        LocalDate from = clock.instant().atZone(ZoneId.of("UTC")).toLocalDate().minusDays(days);
        return ledger.periodsSince(from).stream()
                .filter(p -> !p.day()
                        .isBefore(clock.instant()
                                .atZone(caps.zoneOf(p.scope(), Optional.empty()))
                                .toLocalDate()
                                .minusDays(days - 1L)))
                .map(p -> new DayUse(p.scope(), p.day(), p.settled(), p.overshoot(), p.costUsd()))
                .sorted(Comparator.comparing(DayUse::day).thenComparing(DayUse::scope))
                .toList();
    }

    /** One scope's budget today (a scope with a cap or with usage today). */
    @Transactional
    public ScopeBudget scope(BudgetScope scope) {
        return overview().stream()
                .filter(b -> b.scope().equals(scope))
                .findFirst()
                .orElseThrow();
    }

    /** Every scope with a cap or with usage today: cap, spent, live holds, remaining. */
    @Transactional
    public List<ScopeBudget> overview() {
        Instant now = clock.instant();
        Map<BudgetScope, Long> settledToday = new HashMap<>();
        Map<BudgetScope, Long> overshootToday = new HashMap<>();
        Map<BudgetScope, BigDecimal> costToday = new HashMap<>();
        TreeSet<BudgetScope> scopes = new TreeSet<>();
        config.caps().global().ifPresent(c -> scopes.add(BudgetScope.global()));
        config.caps().team().keySet().forEach(id -> scopes.add(new BudgetScope(BudgetScope.Kind.TEAM, id)));
        config.caps().loop().keySet().forEach(id -> scopes.add(new BudgetScope(BudgetScope.Kind.LOOP, id)));
        config.moneyCaps().global().ifPresent(c -> scopes.add(BudgetScope.global()));
        config.moneyCaps().team().keySet().forEach(id -> scopes.add(new BudgetScope(BudgetScope.Kind.TEAM, id)));
        config.moneyCaps().loop().keySet().forEach(id -> scopes.add(new BudgetScope(BudgetScope.Kind.LOOP, id)));
        ledger.caps().forEach(c -> scopes.add(c.scope()));
        for (BudgetRepository.PeriodRow period :
                ledger.periodsSince(now.atZone(ZoneId.of("UTC")).toLocalDate().minusDays(1))) {
            if (period.day()
                    .equals(now.atZone(caps.zoneOf(period.scope(), Optional.empty()))
                            .toLocalDate())) {
                scopes.add(period.scope());
                settledToday.put(period.scope(), period.settled());
                overshootToday.put(period.scope(), period.overshoot());
                costToday.put(period.scope(), period.costUsd());
            }
        }
        List<ScopeBudget> result = new ArrayList<>();
        for (BudgetScope scope : scopes) {
            ZoneId zone = caps.zoneOf(scope, Optional.empty());
            LocalDate day = now.atZone(zone).toLocalDate();
            long spent = settledToday.getOrDefault(scope, 0L);
            BudgetRepository.Holds holds = ledger.liveHolds(scope, day, now, null);
            long held = holds.tokens();
            BudgetCaps.Caps scopeCaps = caps.capsOf(scope);
            OptionalLong cap = scopeCaps.tokens();
            OptionalLong remaining = cap.isPresent()
                    ? OptionalLong.of(Math.max(0, cap.getAsLong() - spent - held))
                    : OptionalLong.empty();
            Instant resetsAt = BudgetCaps.nextDayStart(day, zone);
            long burnRate = burnRatePerHour(scope, day, zone, now);
            Optional<Instant> exhaustion = projectedExhaustion(remaining, burnRate, now, resetsAt);
            BigDecimal spentUsd = costToday.getOrDefault(scope, BigDecimal.ZERO);
            Optional<BigDecimal> usdRemaining = scopeCaps
                    .usd()
                    .map(c -> c.subtract(spentUsd).subtract(holds.usd()).max(BigDecimal.ZERO));
            Optional<BigDecimal> usdBurnRate = scopeCaps.usd().map(c -> usdBurnRatePerHour(scope, day, zone, now));
            Optional<Instant> usdExhaustion =
                    usdRemaining.flatMap(r -> projectedUsdExhaustion(r, usdBurnRate.orElseThrow(), now, resetsAt));
            result.add(new ScopeBudget(
                    scope,
                    day,
                    zone.getId(),
                    cap,
                    spent,
                    overshootToday.getOrDefault(scope, 0L),
                    held,
                    remaining,
                    resetsAt,
                    burnRate,
                    exhaustion,
                    spentUsd,
                    scopeCaps.usd(),
                    holds.usd(),
                    usdRemaining,
                    usdBurnRate,
                    usdExhaustion));
        }
        return result;
    }

    /**
     * Tokens settled per hour over the last hour, or since the start of the scope's day when that is more recent
     * (so the rate right after midnight is not diluted by yesterday's empty hour).
     */
    private long burnRatePerHour(BudgetScope scope, LocalDate day, ZoneId zone, Instant now) {
        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant from = dayStart.isAfter(hourAgo) ? dayStart : hourAgo;
        long millis = Duration.between(from, now).toMillis();
        if (millis <= 0) {
            return 0;
        }
        long settled = ledger.settledSince(scope, day, from);
        return Math.round(settled * 3_600_000.0 / millis);
    }

    /** {@link #burnRatePerHour} in USD settled. */
    private BigDecimal usdBurnRatePerHour(BudgetScope scope, LocalDate day, ZoneId zone, Instant now) {
        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant from = dayStart.isAfter(hourAgo) ? dayStart : hourAgo;
        long millis = Duration.between(from, now).toMillis();
        if (millis <= 0) {
            return BigDecimal.ZERO;
        }
        return ledger.settledUsdSince(scope, day, from)
                .multiply(BigDecimal.valueOf(3_600_000))
                .divide(BigDecimal.valueOf(millis), 6, RoundingMode.HALF_UP);
    }

    /** When the money cap runs out at the current USD burn rate; empty when not burning or the day resets first. */
    private static Optional<Instant> projectedUsdExhaustion(
            BigDecimal remaining, BigDecimal burnRatePerHour, Instant now, Instant resetsAt) {
        if (burnRatePerHour.signum() <= 0) {
            return Optional.empty();
        }
        long millis = remaining
                .multiply(BigDecimal.valueOf(3_600_000))
                .divide(burnRatePerHour, 0, RoundingMode.HALF_UP)
                .min(BigDecimal.valueOf(Duration.ofDays(400).toMillis()))
                .longValueExact();
        Instant at = now.plusMillis(millis);
        return at.isBefore(resetsAt) ? Optional.of(at) : Optional.empty();
    }

    /** When the cap runs out at the current burn rate; empty when not burning, uncapped, or the day resets first. */
    private static Optional<Instant> projectedExhaustion(
            OptionalLong remaining, long burnRatePerHour, Instant now, Instant resetsAt) {
        if (remaining.isEmpty() || burnRatePerHour <= 0) {
            return Optional.empty();
        }
        Instant at = now.plusMillis(Math.round(remaining.getAsLong() * 3_600_000.0 / burnRatePerHour));
        return at.isBefore(resetsAt) ? Optional.of(at) : Optional.empty();
    }
}
