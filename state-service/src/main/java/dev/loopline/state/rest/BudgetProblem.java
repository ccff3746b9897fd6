package dev.loopline.state.rest;

import dev.loopline.state.service.BudgetExhaustedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;

/** The 409 problem of a refused reservation: RFC 9457 members plus which scope refused and when it resets. */
public record BudgetProblem(
        URI type,
        String title,
        int status,
        String detail,
        BudgetViews.ScopeView scope,
        long cap,
        long spent,
        long held,
        long requested,
        Instant resetsAt) {

    public static Response of(BudgetExhaustedException e) {
        BudgetProblem problem = new BudgetProblem(
                URI.create("https://loopline.dev/problems/budget-exhausted"),
                "Budget exhausted",
                409,
                e.getMessage(),
                BudgetViews.ScopeView.of(e.scope()),
                e.cap(),
                e.spent(),
                e.held(),
                e.requested(),
                e.resetsAt());
        return Response.status(409)
                .type(MediaType.valueOf(Problem.MEDIA_TYPE))
                .entity(problem)
                .build();
    }
}
