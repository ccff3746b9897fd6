package dev.loopline.schemas.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The REST contract of state-service's budget ledger that other services call: holds before a maker runs ({@code POST
 * /api/v1/budget/reservations}), their settlement ({@code POST …/{id}/settle}) and release ({@code DELETE …/{id}}).
 * state-service validates these bodies and answers with them; the agent sends and reads the same records, so the two
 * cannot drift apart. The bean-validation annotations say what a valid request is; only the server enforces them.
 */
public final class BudgetApi {

    /** Where holds are made; a hold's own URL is this plus {@code /{id}}. */
    public static final String RESERVATIONS_PATH = "/api/v1/budget/reservations";

    private BudgetApi() {}

    /** A budget scope: {@code global} (no id), a {@code team} or a {@code loop}. */
    public record ScopeRef(
            @NotNull @Pattern(regexp = "global|team|loop", message = "must be global, team or loop") String kind,
            @Pattern(regexp = "^[a-z][a-z0-9-]{0,62}$", message = "must be a team or loop id") String id) {

        public static ScopeRef global() {
            return new ScopeRef("global", null);
        }

        public static ScopeRef team(String id) {
            return new ScopeRef("team", id);
        }

        public static ScopeRef loop(String id) {
            return new ScopeRef("loop", id);
        }
    }

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
    @JsonInclude(JsonInclude.Include.NON_NULL)
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
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SettleRequest(
            @NotNull @PositiveOrZero Long actualTokens,
            @Size(max = 200) String model,
            @PositiveOrZero Long inputTokens) {}

    /** One scope-day a hold is charged to. */
    public record Charge(String kind, String id, LocalDate day) {}

    /**
     * A hold, as reserving answers it. {@code tokens} expected, {@code maxTokens} held (the declared maximum); {@code
     * model} and {@code heldUsd} (the USD the hold holds) are absent without a priced model. {@code status}: {@code
     * held}, or for a hold replayed under its idempotency key ({@code replayed: true}, absent otherwise) {@code held} or
     * {@code settled}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reservation(
            UUID id,
            long tokens,
            long maxTokens,
            String model,
            BigDecimal heldUsd,
            Instant expiresAt,
            List<Charge> charges,
            String status,
            Boolean replayed) {}

    /**
     * The 409 problem of a refused hold ({@link ProblemType#BUDGET_EXHAUSTED}): RFC 9457 members plus which scope
     * refused, in which unit ({@code tokens}: {@code cap}, {@code spent}, {@code held}, {@code requested}, {@code
     * remaining}; {@code usd}: the same as {@code capUsd} …), and when it resets. A caller reading another problem with
     * this record gets its RFC 9457 members and nulls for the rest.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Exhausted(
            String type,
            String title,
            Integer status,
            String detail,
            ScopeRef scope,
            String unit,
            Long cap,
            Long spent,
            Long held,
            Long requested,
            Long remaining,
            BigDecimal capUsd,
            BigDecimal spentUsd,
            BigDecimal heldUsd,
            BigDecimal requestedUsd,
            BigDecimal remainingUsd,
            Instant resetsAt) {}
}
