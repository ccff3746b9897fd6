package dev.loopline.state.budget;

import dev.loopline.schemas.http.BudgetApi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * Request bodies of the budget API that only operators send; the ledger's own contract (holds, settlements) is
 * {@link BudgetApi}, shared with the agent.
 */
public final class BudgetRequests {

    private BudgetRequests() {}

    /**
     * At least one of {@code dailyTokens} and {@code dailyUsd}; a unit left out keeps the scope's stored cap of that
     * unit (or its configured one).
     */
    public record CapRequest(
            @NotNull @Valid BudgetApi.ScopeRef scope,
            @PositiveOrZero Long dailyTokens,
            @PositiveOrZero @Digits(integer = 11, fraction = 9) BigDecimal dailyUsd,
            @Size(max = 64) String timeZone) {}
}
