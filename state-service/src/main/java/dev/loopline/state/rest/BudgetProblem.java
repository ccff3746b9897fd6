package dev.loopline.state.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.state.service.BudgetExhaustedException;
import dev.loopline.state.service.BudgetUnit;
import dev.loopline.state.service.UnpricedModelException;
import dev.loopline.support.rest.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * The 409 problem of a refused reservation: RFC 9457 members plus which scope refused, in which unit ({@code tokens}:
 * {@code cap}, {@code spent}, {@code held}, {@code requested}, {@code remaining}; {@code usd}: the same as {@code
 * capUsd} …), and when it resets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BudgetProblem(
        URI type,
        String title,
        int status,
        String detail,
        BudgetViews.ScopeView scope,
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
        Instant resetsAt) {

    /** The 422 problem of a reservation or settlement that charges a money-capped scope without a priced model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnpricedProblem(
            URI type,
            String title,
            int status,
            String detail,
            BudgetViews.ScopeView scope,
            String model,
            List<String> pricedModels) {}

    public static Response of(BudgetExhaustedException e) {
        boolean usd = e.unit() == BudgetUnit.USD;
        BudgetProblem problem = new BudgetProblem(
                URI.create(ProblemType.BUDGET_EXHAUSTED.uri()),
                usd ? "Money budget exhausted" : ProblemType.BUDGET_EXHAUSTED.title(),
                ProblemType.BUDGET_EXHAUSTED.status(),
                e.getMessage(),
                BudgetViews.ScopeView.of(e.scope()),
                e.unit().wireName(),
                usd ? null : e.cap(),
                usd ? null : e.spent(),
                usd ? null : e.held(),
                usd ? null : e.requested(),
                usd ? null : e.remaining(),
                e.capUsd(),
                e.spentUsd(),
                e.heldUsd(),
                e.requestedUsd(),
                e.remainingUsd(),
                e.resetsAt());
        return Response.status(ProblemType.BUDGET_EXHAUSTED.status())
                .type(MediaType.valueOf(Problem.MEDIA_TYPE))
                .entity(problem)
                .build();
    }

    public static Response unpriced(UnpricedModelException e) {
        UnpricedProblem problem = new UnpricedProblem(
                URI.create(ProblemType.PRICED_MODEL_REQUIRED.uri()),
                ProblemType.PRICED_MODEL_REQUIRED.title(),
                ProblemType.PRICED_MODEL_REQUIRED.status(),
                e.getMessage(),
                BudgetViews.ScopeView.of(e.scope()),
                e.model(),
                e.pricedModels());
        return Response.status(ProblemType.PRICED_MODEL_REQUIRED.status())
                .type(MediaType.valueOf(Problem.MEDIA_TYPE))
                .entity(problem)
                .build();
    }
}
