package dev.loopline.scheduler.rest;

import dev.loopline.scheduler.repository.PostgresSchedulerStore;
import dev.loopline.scheduler.service.TriggerRefusedException;
import dev.loopline.support.rest.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
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
                        case LEVEL_NOT_READY -> Problem.of(
                                "level-not-ready", "Loop is not ready for its level", 409, refused.getMessage());
                        case PLAN_ONLY -> Problem.of("plan-only", "L0 is plan-only", 409, refused.getMessage());
                        case PAUSED -> Problem.of("paused", "Loop is paused", 409, refused.getMessage());
                        case HALTED -> Problem.of("halted", "Loop is halted", 409, refused.getMessage());
                        case TICK_IN_FLIGHT -> Problem.of(
                                "tick-in-flight", "A tick is in flight", 409, refused.getMessage());
                        case REPO_BUSY -> Problem.of(
                                "repository-busy",
                                "Another writing loop is running on this repository",
                                409,
                                refused.getMessage());
                        case ADMISSION_REFUSED -> Problem.of(
                                "admission-refused", "The loop may not run now", 409, refused.getMessage());
                        case ADMISSION_UNAVAILABLE -> Problem.of(
                                "admission-unavailable",
                                "Cannot check whether the loop may run",
                                503,
                                refused.getMessage() + "; try again later");
                        case SLOT_TAKEN -> Problem.of(
                                "tick-in-flight", "A tick is in flight", 409, refused.getMessage());
                        case PUBLISH_FAILED -> Problem.of(
                                "trigger-unavailable",
                                "Cannot trigger now",
                                503,
                                "the tick could not be published; try again");
                    };
            return problem.toResponse();
        }
        if (e instanceof PostgresSchedulerStore.SchedulerStoreException store) {
            LOG.warnf("scheduler store unavailable: %s", store.getMessage());
            return Problem.of(
                            "store-unavailable",
                            "Scheduler state unavailable",
                            503,
                            "the scheduler cannot reach its database; nothing was changed; try again")
                    .toResponse();
        }
        if (e instanceof InvalidRequestException invalid) {
            return Problem.of("invalid-request", "Invalid request", 400, invalid.getMessage())
                    .toResponse();
        }
        if (e instanceof WebApplicationException wae && wae.getResponse().getStatus() < 500) {
            return Problem.of(wae).toResponse();
        }
        LOG.error("unhandled error", e);
        return Problem.of("internal-error", "Internal Server Error", 500, "the scheduler failed to handle the request")
                .toResponse();
    }
}
