package dev.loopline.scheduler.rest;

import dev.loopline.scheduler.service.LoopStatus;
import dev.loopline.scheduler.service.SchedulerService;
import dev.loopline.scheduler.service.TriggerRefusedException;
import dev.loopline.schemas.events.Event;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The loop registry and manual triggers. */
@Path("/api/v1/loops")
@Produces(MediaType.APPLICATION_JSON)
public class LoopResource {

    /** Optional body of a manual trigger. */
    public record TriggerRequest(String by) {}

    /** A tick accepted for processing. */
    public record TriggerAccepted(String tickId) {}

    static final int MAX_BY_LENGTH = 200;

    private final SchedulerService scheduler;

    public LoopResource(SchedulerService scheduler) {
        this.scheduler = scheduler;
    }

    /** Every loop, the invalid ones with their problems. */
    @GET
    public List<LoopStatus> list() {
        return scheduler.loops();
    }

    @GET
    @Path("/{id}")
    public LoopStatus get(@PathParam("id") String id) {
        return scheduler
                .loop(id)
                .orElseThrow(() ->
                        new TriggerRefusedException(TriggerRefusedException.Reason.UNKNOWN_LOOP, "no loop " + id));
    }

    /** Triggers a tick now; 202 with its id, 404 for an unknown loop, 409 while one is in flight. */
    @POST
    @Path("/{id}/ticks")
    public Response trigger(@PathParam("id") String id, TriggerRequest request) {
        String by = request == null || request.by() == null || request.by().isBlank()
                ? "api"
                : request.by().strip();
        if (by.length() > MAX_BY_LENGTH) {
            throw new InvalidRequestException("by", "must be at most " + MAX_BY_LENGTH + " characters");
        }
        Event tick = scheduler.triggerManually(id, by);
        return Response.accepted(new TriggerAccepted(tick.tickId())).build();
    }
}
