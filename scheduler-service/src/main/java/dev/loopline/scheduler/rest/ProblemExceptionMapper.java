package dev.loopline.scheduler.rest;

import dev.loopline.scheduler.repository.PostgresSchedulerStore;
import dev.loopline.scheduler.service.TriggerRefusedException;
import dev.loopline.schemas.http.ProblemType;
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
                        case UNKNOWN_LOOP -> Problem.of(ProblemType.LOOP_NOT_FOUND, refused.getMessage());
                        case INVALID_SPEC -> Problem.of(ProblemType.INVALID_SPEC, refused.getMessage());
                        case LEVEL_NOT_READY -> Problem.of(ProblemType.LEVEL_NOT_READY, refused.getMessage());
                        case PLAN_ONLY -> Problem.of(ProblemType.PLAN_ONLY, refused.getMessage());
                        case PAUSED -> Problem.of(ProblemType.PAUSED, refused.getMessage());
                        case HALTED -> Problem.of(ProblemType.HALTED, refused.getMessage());
                        case TICK_IN_FLIGHT -> Problem.of(ProblemType.TICK_IN_FLIGHT, refused.getMessage());
                        case REPO_BUSY -> Problem.of(ProblemType.REPOSITORY_BUSY, refused.getMessage());
                        case ADMISSION_REFUSED -> Problem.of(ProblemType.ADMISSION_REFUSED, refused.getMessage());
                        case ADMISSION_UNAVAILABLE -> Problem.of(
                                ProblemType.ADMISSION_UNAVAILABLE, refused.getMessage() + "; try again later");
                        case SLOT_TAKEN -> Problem.of(ProblemType.TICK_IN_FLIGHT, refused.getMessage());
                        case PUBLISH_FAILED -> Problem.of(
                                ProblemType.TRIGGER_UNAVAILABLE, "the tick could not be published; try again");
                    };
            return problem.toResponse();
        }
        if (e instanceof PostgresSchedulerStore.SchedulerStoreException store) {
            LOG.warnf("scheduler store unavailable: %s", store.getMessage());
            return Problem.of(
                            ProblemType.STORE_UNAVAILABLE,
                            "the scheduler cannot reach its database; nothing was changed; try again")
                    .toResponse();
        }
        if (e instanceof InvalidRequestException invalid) {
            return Problem.of(ProblemType.INVALID_REQUEST, invalid.getMessage()).toResponse();
        }
        if (e instanceof WebApplicationException wae && wae.getResponse().getStatus() < 500) {
            return Problem.of(wae).toResponse();
        }
        LOG.error("unhandled error", e);
        return Problem.of(ProblemType.INTERNAL_ERROR, "the scheduler failed to handle the request")
                .toResponse();
    }
}
