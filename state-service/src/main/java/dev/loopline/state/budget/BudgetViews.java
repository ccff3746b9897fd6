package dev.loopline.state.budget;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.schemas.http.BudgetApi;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Response bodies of the budget API. */
public final class BudgetViews {

    private BudgetViews() {}

    public record ScopeView(String kind, String id) {
        public static ScopeView of(BudgetScope scope) {
            return new ScopeView(scope.kind().wireName(), scope.id());
        }
    }

    public record ChargeView(String kind, String id, LocalDate day) {}

    /** A hold as the ledger's contract ({@link BudgetApi.Reservation}) answers it. */
    public static BudgetApi.Reservation reservation(BudgetLedgerService.Reservation r) {
        return new BudgetApi.Reservation(
                r.id(),
                r.tokens(),
                r.maxTokens(),
                r.model(),
                r.heldUsd(),
                r.expiresAt(),
                r.charges().stream()
                        .map(c -> new BudgetApi.Charge(
                                c.scope().kind().wireName(), c.scope().id(), c.day()))
                        .toList(),
                r.status(),
                r.replayed() ? Boolean.TRUE : null);
    }

    /** {@code overshootTokens}: what a settlement spent beyond {@code tokens} (0 within it; absent unless settled). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReservationStateView(
            UUID id,
            long tokens,
            long maxTokens,
            String status,
            Long settledTokens,
            Long overshootTokens,
            String model,
            BigDecimal costUsd,
            Instant expiresAt) {
        public static ReservationStateView of(BudgetLedgerService.ReservationState s) {
            return new ReservationStateView(
                    s.id(),
                    s.tokens(),
                    s.maxTokens(),
                    s.status(),
                    s.settledTokens(),
                    s.overshootTokens(),
                    s.model(),
                    s.costUsd(),
                    s.expiresAt());
        }
    }

    /**
     * {@code overshoot} is the part of {@code spent} that settlements spent beyond the tokens they reserved (each
     * within its declared maximum). {@code cap} and {@code remaining} are null for a scope without a cap; {@code
     * burnRatePerHour} is the tokens
     * settled in the last hour (or since the day started, scaled to an hour); {@code projectedExhaustionAt} is
     * when the remaining budget runs out at that rate, null when not burning or when the day resets first; {@code costUsd}
     * and {@code usdSpent} are the USD cost settled today at the configured model prices, {@code usdHeld} the USD of the
     * live holds. {@code usdCap}, {@code usdRemaining}, {@code usdBurnRatePerHour} and {@code
     * usdProjectedExhaustionAt} (the same figures in USD) are null for a scope without a money cap.
     */
    public record ScopeBudgetView(
            ScopeView scope,
            LocalDate day,
            String timeZone,
            Long cap,
            long spent,
            long overshoot,
            long held,
            Long remaining,
            Instant resetsAt,
            long burnRatePerHour,
            Instant projectedExhaustionAt,
            BigDecimal costUsd,
            BigDecimal usdCap,
            BigDecimal usdSpent,
            BigDecimal usdHeld,
            BigDecimal usdRemaining,
            BigDecimal usdBurnRatePerHour,
            Instant usdProjectedExhaustionAt) {
        public static ScopeBudgetView of(BudgetOverviewService.ScopeBudget b) {
            return new ScopeBudgetView(
                    ScopeView.of(b.scope()),
                    b.day(),
                    b.timeZone(),
                    b.cap().isPresent() ? b.cap().getAsLong() : null,
                    b.spent(),
                    b.overshoot(),
                    b.held(),
                    b.remaining().isPresent() ? b.remaining().getAsLong() : null,
                    b.resetsAt(),
                    b.burnRatePerHour(),
                    b.projectedExhaustionAt().orElse(null),
                    b.costUsd(),
                    b.usdCap().orElse(null),
                    b.costUsd(),
                    b.usdHeld(),
                    b.usdRemaining().orElse(null),
                    b.usdBurnRatePerHour().orElse(null),
                    b.usdProjectedExhaustionAt().orElse(null));
        }
    }

    /** One scope's settled use on one day: {@code spent} tokens (of which {@code overshoot} beyond reservations). */
    public record DayUseView(ScopeView scope, LocalDate day, long spent, long overshoot, BigDecimal costUsd) {
        public static DayUseView of(BudgetOverviewService.DayUse d) {
            return new DayUseView(ScopeView.of(d.scope()), d.day(), d.spent(), d.overshoot(), d.costUsd());
        }
    }
}
