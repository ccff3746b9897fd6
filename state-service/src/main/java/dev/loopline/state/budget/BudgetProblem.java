package dev.loopline.state.budget;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loopline.schemas.http.BudgetApi;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.support.rest.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** The budget API's problems: a refused hold (409, {@link BudgetApi.Exhausted}) and an unpriced model (422). */
public final class BudgetProblem {

    private BudgetProblem() {}

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
        BudgetApi.Exhausted problem = new BudgetApi.Exhausted(
                ProblemType.BUDGET_EXHAUSTED.uri(),
                usd ? "Money budget exhausted" : ProblemType.BUDGET_EXHAUSTED.title(),
                ProblemType.BUDGET_EXHAUSTED.status(),
                e.getMessage(),
                new BudgetApi.ScopeRef(e.scope().kind().wireName(), e.scope().id()),
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
