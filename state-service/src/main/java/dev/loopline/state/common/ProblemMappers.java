package dev.loopline.state.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.state.budget.BudgetExhaustedException;
import dev.loopline.state.budget.BudgetProblem;
import dev.loopline.state.budget.ReservationConflictException;
import dev.loopline.state.budget.ReservationNotFoundException;
import dev.loopline.state.budget.ScopeKilledException;
import dev.loopline.state.budget.SettleExceedsMaximumException;
import dev.loopline.state.budget.UnpricedModelException;
import dev.loopline.support.rest.FieldPath;
import dev.loopline.support.rest.Problem;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one map from exception to HTTP status: every error leaves as problem+json, never with a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response budgetExhausted(BudgetExhaustedException e) {
        return BudgetProblem.of(e);
    }

    @ServerExceptionMapper
    public Response unpricedModel(UnpricedModelException e) {
        return BudgetProblem.unpriced(e);
    }

    @ServerExceptionMapper
    public Response scopeKilled(ScopeKilledException e) {
        return Problem.of(ProblemType.SCOPE_KILLED, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response reservationNotFound(ReservationNotFoundException e) {
        return Problem.of(ProblemType.NOT_FOUND, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response reservationConflict(ReservationConflictException e) {
        return Problem.of(ProblemType.RESERVATION_CONFLICT, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response settleExceedsMaximum(SettleExceedsMaximumException e) {
        return Problem.of(ProblemType.SETTLE_EXCEEDS_MAXIMUM, e.getMessage()).toResponse();
    }

    /** Bean Validation of request bodies: 400 with one entry per invalid field. */
    @ServerExceptionMapper
    public Response invalid(ResteasyReactiveViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return Problem.of(ProblemType.INVALID_REQUEST, detail)
                .withErrors(errors)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return Problem.of(ProblemType.INVALID_REQUEST, "The request body is not valid JSON for this endpoint")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    /** Framework errors: unknown path (404), wrong method (405), unreadable body (400), and so on. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Problem problem = Problem.of(e);
        // the framework's messages name classes and methods; say only what the caller can act on
        String detail = status == 404
                ? "No such resource"
                : status >= 500 ? "The request could not be served" : problem.title();
        return problem.withDetail(detail).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unhandled error while serving a request", e);
        return Problem.of(ProblemType.INTERNAL_ERROR, "The request could not be served")
                .toResponse();
    }

    /** The request field of a violation, by the services' one rule. */
    private static String field(ConstraintViolation<?> violation) {
        return FieldPath.of(violation);
    }
}
