package dev.loopline.state.budget;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Each scope's daily caps, in tokens and in USD, and the time zone its day is counted in: per unit, a cap stored
 * through the API ({@code budget_cap}) wins over the configured one ({@code loopline.budget.caps.*}, {@code
 * loopline.budget.money-caps.*}); a zone stored with a cap wins over the configured team zone and the default.
 */
@ApplicationScoped
public class BudgetCaps {

    /** A scope's caps in both units (each empty when the scope has none). */
    record Caps(OptionalLong tokens, Optional<BigDecimal> usd) {
        boolean any() {
            return tokens.isPresent() || usd.isPresent();
        }
    }

    @Inject
    BudgetRepository ledger;

    @Inject
    BudgetConfig config;

    @Inject
    Clock clock;

    /**
     * Stores a scope's daily caps (and, for a team, the time zone of its day). A unit given as null keeps its stored
     * cap; at least one unit is required.
     *
     * @throws java.time.DateTimeException for an unknown time zone, before anything is stored
     */
    @Transactional
    public void setCap(BudgetScope scope, Long dailyTokens, BigDecimal dailyUsd, String timeZone) {
        if (dailyTokens == null && dailyUsd == null) {
            throw new IllegalArgumentException("a cap needs dailyTokens or dailyUsd");
        }
        if (timeZone != null) {
            ZoneId.of(timeZone); // rejects unknown zones before they are stored
        }
        ledger.upsertCap(scope, dailyTokens, dailyUsd, timeZone, clock.instant());
    }

    /** A scope's caps in both units: per unit, the stored cap (set through the API) wins over the configured one. */
    Caps capsOf(BudgetScope scope) {
        Optional<BudgetRepository.CapRow> row = ledger.cap(scope);
        OptionalLong tokens = row.map(BudgetRepository.CapRow::dailyTokens)
                .or(() -> configuredCap(scope))
                .map(OptionalLong::of)
                .orElseGet(OptionalLong::empty);
        Optional<BigDecimal> usd = row.map(BudgetRepository.CapRow::dailyUsd).or(() -> configuredUsdCap(scope));
        return new Caps(tokens, usd);
    }

    /** The USD cap configured for a scope ({@code loopline.budget.money-caps.*}); a stored one wins over it. */
    Optional<BigDecimal> configuredUsdCap(BudgetScope scope) {
        return switch (scope.kind()) {
            case GLOBAL -> config.moneyCaps().global();
            case TEAM -> Optional.ofNullable(config.moneyCaps().team().get(scope.id()));
            case LOOP -> Optional.ofNullable(config.moneyCaps().loop().get(scope.id()));
        };
    }

    /** The cap configured for a scope ({@code loopline.budget.caps.*}); a stored cap row wins over it. */
    Optional<Long> configuredCap(BudgetScope scope) {
        return switch (scope.kind()) {
            case GLOBAL -> config.caps().global();
            case TEAM -> Optional.ofNullable(config.caps().team().get(scope.id()));
            case LOOP -> Optional.ofNullable(config.caps().loop().get(scope.id()));
        };
    }

    /**
     * The zone a scope's day is counted in: the zone stored with its cap, else (for a team) the configured team zone;
     * a loop's day follows its team when the reservation names one; otherwise the default.
     */
    ZoneId zoneOf(BudgetScope scope, Optional<String> teamOfRequest) {
        return zoneOf(scope, teamOfRequest, s -> ledger.cap(s).map(BudgetRepository.CapRow::timeZone));
    }

    /** {@link #zoneOf(BudgetScope, Optional)} with the stored zones ({@code budget_cap.time_zone}) given. */
    ZoneId zoneOf(
            BudgetScope scope, Optional<String> teamOfRequest, Function<BudgetScope, Optional<String>> storedZone) {
        Optional<String> stored = storedZone.apply(scope);
        if (stored.isPresent()) {
            return ZoneId.of(stored.get());
        }
        String team =
                switch (scope.kind()) {
                    case TEAM -> scope.id();
                    case LOOP -> teamOfRequest.orElse(null);
                    case GLOBAL -> null;
                };
        if (team != null) {
            Optional<String> teamZone = storedZone
                    .apply(new BudgetScope(BudgetScope.Kind.TEAM, team))
                    .or(() -> Optional.ofNullable(config.teamTimeZones().get(team)));
            if (teamZone.isPresent()) {
                return ZoneId.of(teamZone.get());
            }
        }
        return ZoneId.of(config.defaultTimeZone());
    }

    /** When a scope's day ends and its caps start again. */
    static Instant nextDayStart(LocalDate day, ZoneId zone) {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
