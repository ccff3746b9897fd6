package dev.loopline.scheduler.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.scheduler.service.LoopStatus;
import dev.loopline.scheduler.service.SchedulerService;
import dev.loopline.scheduler.service.TriggerRefusedException;
import dev.loopline.schemas.events.Event;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

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
    private final ObjectMapper mapper;

    public LoopResource(SchedulerService scheduler, ObjectMapper mapper) {
        this.scheduler = scheduler;
        this.mapper = mapper;
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
    @Consumes(MediaType.WILDCARD)
    @RequestBody(content = @Content(schema = @Schema(implementation = TriggerRequest.class)), required = false)
    public Response trigger(@PathParam("id") String id, String body) {
        // the body is optional, so any (or no) content type is accepted and JSON is read here
        TriggerRequest request = readRequest(body);
        String by = request == null || request.by() == null || request.by().isBlank()
                ? "api"
                : request.by().strip();
        if (by.length() > MAX_BY_LENGTH) {
            throw new InvalidRequestException("by", "must be at most " + MAX_BY_LENGTH + " characters");
        }
        Event tick = scheduler.triggerManually(id, by);
        return Response.accepted(new TriggerAccepted(tick.tickId())).build();
    }

    private TriggerRequest readRequest(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(body, TriggerRequest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "expected a JSON object such as {\"by\": \"alice\"}");
        }
    }
}
