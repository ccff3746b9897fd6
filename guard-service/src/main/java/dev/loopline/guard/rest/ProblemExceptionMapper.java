package dev.loopline.guard.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.support.rest.FieldPath;
import dev.loopline.support.rest.Problem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The one exception-to-problem map: client errors keep their status, invalid requests are 400 with the
 * offending fields, anything else is a 500 without details. The nested mapper exists only because JAX-RS picks
 * the mapper of the closest exception type, and Quarkus ships its own for validation errors.
 */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);
    private static final String NOT_JSON = "request body is not valid JSON for this endpoint";

    @Override
    public Response toResponse(Throwable error) {
        if (error instanceof ConstraintViolationException invalid) {
            return invalid(invalid);
        }
        if (error instanceof JsonProcessingException || error.getCause() instanceof JsonProcessingException) {
            // Quarkus wraps an unreadable body in a bare 400; say what was wrong with it
            return Problem.of(Response.Status.BAD_REQUEST, NOT_JSON).toResponse();
        }
        if (error instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            return Problem.of(web).toResponse();
        }
        LOG.error("request failed", error);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal error")
                .toResponse();
    }

    private static Response invalid(ConstraintViolationException invalid) {
        List<Problem.FieldError> errors = invalid.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problem.of(Response.Status.BAD_REQUEST, "the request is invalid")
                .withErrors(errors)
                .toResponse();
    }

    /** The last node of the property path: {@code command}, not {@code checkCommand.request.command}. */
    private static String field(ConstraintViolation<?> violation) {
        return FieldPath.of(violation);
    }

    @Provider
    public static class Validation implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException error) {
            return invalid(error);
        }
    }
}
