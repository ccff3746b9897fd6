package dev.loopline.state.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Request bodies of the budget API. */
public final class BudgetRequests {

    private BudgetRequests() {}

    /** {@code id} may be omitted for the global scope. */
    public record ScopeRef(
            @NotNull @Pattern(regexp = "global|team|loop", message = "must be global, team or loop") String kind,
            @Pattern(regexp = "^[a-z][a-z0-9-]{0,62}$", message = "must be a team or loop id") String id) {}

    public record ReserveRequest(
            @NotEmpty @Size(max = 10) List<@Valid @NotNull ScopeRef> scopes,
            @Positive long tokens,
            @Positive @Max(86_400) Integer ttlSeconds) {}

    /**
     * {@code inputTokens}: how many of {@code actualTokens} were input (prompt) tokens, for the cost at the model's
     * prices; when absent every token is priced at the output price (the higher one, so cost is never understated).
     */
    public record SettleRequest(
            @NotNull @PositiveOrZero Long actualTokens,
            @Size(max = 200) String model,
            @PositiveOrZero Long inputTokens) {}

    public record CapRequest(
            @NotNull @Valid ScopeRef scope,
            @NotNull @PositiveOrZero Long dailyTokens,
            @Size(max = 64) String timeZone) {}
}
