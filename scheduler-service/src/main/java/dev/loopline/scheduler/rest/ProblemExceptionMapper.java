package dev.loopline.scheduler.rest;

import dev.loopline.scheduler.service.TriggerRefusedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import org.jboss.logging.Logger;

/** The one map from exception to problem response; never leaks class names or stack traces. */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof TriggerRefusedException refused) {
            Problem problem =
                    switch (refused.reason()) {
                        case UNKNOWN_LOOP -> Problem.of("loop-not-found", "Loop not found", 404, refused.getMessage());
                        case INVALID_SPEC -> Problem.of(
                                "invalid-spec", "Loop spec is invalid", 409, refused.getMessage());
                        case TICK_IN_FLIGHT -> Problem.of(
                                "tick-in-flight", "A tick is in flight", 409, refused.getMessage());
                        case PUBLISH_FAILED -> Problem.of(
                                "trigger-unavailable",
                                "Cannot trigger now",
                                503,
                                "the tick could not be published; try again");
                    };
            return problem.toResponse();
        }
        if (e instanceof InvalidRequestException invalid) {
            return Problem.of("invalid-request", "Invalid request", 400, invalid.getMessage())
                    .toResponse();
        }
        if (e instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            Response.Status known = Response.Status.fromStatusCode(status);
            String title = known == null ? "HTTP " + status : known.getReasonPhrase();
            return Problem.of(slug(title), title, status, title).toResponse();
        }
        LOG.error("unhandled error", e);
        return Problem.of("internal-error", "Internal Server Error", 500, "the scheduler failed to handle the request")
                .toResponse();
    }

    private static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
