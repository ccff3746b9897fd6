package dev.loopline.scheduler.rest;

import dev.loopline.core.auth.Permission;
import dev.loopline.scheduler.service.LoopStatusService;
import dev.loopline.scheduler.service.TriggerRefusedException;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.support.rest.Allowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The scheduler's view of every loop ({@link LoopStatus}: spec, level, validity, pause, halt, next run, tick in
 * flight). state-service reads it to show the schedule beside the run log in its {@code GET /api/v1/loops}, which is
 * the one public loop list; the dashboard reads it for the spec files that failed to load. Every role may read.
 */
@Path("/api/v1/schedule")
@Produces(MediaType.APPLICATION_JSON)
@Allowed(Permission.READ)
public class ScheduleResource {

    private final LoopStatusService status;

    public ScheduleResource(LoopStatusService status) {
        this.status = status;
    }

    /** Every loop, the invalid ones with their problems. */
    @GET
    public List<LoopStatus> list() {
        return status.loops();
    }

    /** One loop; 404 when the registry does not know it. */
    @GET
    @Path("/{id}")
    public LoopStatus get(@PathParam("id") String id) {
        return status.loop(id)
                .orElseThrow(() ->
                        new TriggerRefusedException(TriggerRefusedException.Reason.UNKNOWN_LOOP, "no loop " + id));
    }
}
