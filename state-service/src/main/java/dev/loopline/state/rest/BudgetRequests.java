package dev.loopline.state.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/** Request bodies of the budget API. */
public final class BudgetRequests {

    private BudgetRequests() {}

    /** {@code id} may be omitted for the global scope. */
    public record ScopeRef(
            @NotNull @Pattern(regexp = "global|team|loop", message = "must be global, team or loop") String kind,
            @Pattern(regexp = "^[a-z][a-z0-9-]{0,62}$", message = "must be a team or loop id") String id) {}

    /**
     * {@code tokens}: what the caller expects to spend; {@code maxTokens}: the most it may settle (at least {@code
     * tokens}; {@code tokens} when absent). The maximum is what is held against the caps; a settlement above {@code
     * tokens} is recorded as overshoot. {@code model}: the model the tokens are for; required (and must have prices)
     * when a scope has a money cap, whose hold is then {@code maxTokens} at the model's higher per-token price. {@code
     * idempotencyKey}: names the hold; a repeated request with the same key answers the hold already recorded under it
     * (200, {@code replayed: true}) instead of holding again (the agent sends tick, attempt and model call). {@code
     * loopDailyTokens}: the loop's declared daily cap (its spec's {@code budget.dailyTokens}); needs a loop scope, whose
     * cap is then the lower of it and the stored or configured cap.
     */
    public record ReserveRequest(
            @NotEmpty @Size(max = 10) List<@Valid @NotNull ScopeRef> scopes,
            @Positive long tokens,
            @Positive Long maxTokens,
            @Positive @Max(86_400) Integer ttlSeconds,
            @Size(max = 200) String model,
            @Pattern(
                            regexp = "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$",
                            message = "must be 1-200 letters, digits and . _ : / -, starting with a letter or digit")
                    String idempotencyKey,
            @PositiveOrZero Long loopDailyTokens) {

        /** The request before idempotency keys and declared loop caps. */
        public ReserveRequest(List<ScopeRef> scopes, long tokens, Long maxTokens, Integer ttlSeconds, String model) {
            this(scopes, tokens, maxTokens, ttlSeconds, model, null, null);
        }
    }

    /**
     * {@code inputTokens}: how many of {@code actualTokens} were input (prompt) tokens, for the cost at the model's
     * prices; when absent every token is priced at the output price (the higher one, so cost is never understated).
     */
    public record SettleRequest(
            @NotNull @PositiveOrZero Long actualTokens,
            @Size(max = 200) String model,
            @PositiveOrZero Long inputTokens) {}

    /**
     * At least one of {@code dailyTokens} and {@code dailyUsd}; a unit left out keeps the scope's stored cap of that
     * unit (or its configured one).
     */
    public record CapRequest(
            @NotNull @Valid ScopeRef scope,
            @PositiveOrZero Long dailyTokens,
            @PositiveOrZero @Digits(integer = 11, fraction = 9) BigDecimal dailyUsd,
            @Size(max = 64) String timeZone) {}
}
