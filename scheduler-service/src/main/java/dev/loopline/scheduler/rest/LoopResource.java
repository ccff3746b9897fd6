package dev.loopline.scheduler.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopline.core.auth.Caller;
import dev.loopline.core.auth.Permission;
import dev.loopline.scheduler.service.OperatorService;
import dev.loopline.scheduler.service.TriggerService;
import dev.loopline.schemas.events.Event;
import dev.loopline.schemas.http.LoopStatus;
import dev.loopline.support.auth.ServiceAuth;
import dev.loopline.support.rest.Allowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * An operator's verbs on one loop: trigger, pause, resume; each needs the operate permission. (The loop list is
 * state-service's {@code GET /api/v1/loops}; the scheduler's own view of its loops is {@link ScheduleResource}.) Who
 * did it is the caller's token name; only the shared service token, which cannot tell who is calling, may name
 * someone in {@code by}.
 */
@Path("/api/v1/loops")
@Produces(MediaType.APPLICATION_JSON)
@Allowed(Permission.READ)
public class LoopResource {

    /** Optional body of a manual trigger. */
    public record TriggerRequest(String by) {}

    /** A tick accepted for processing. */
    public record TriggerAccepted(String tickId) {}

    /** Optional body of a pause or resume: why, and who (service token only; default {@code api}). */
    public record OperatorRequest(String reason, String by) {}

    static final int MAX_BY_LENGTH = 200;
    static final int MAX_REASON_LENGTH = 500;

    private final TriggerService triggers;
    private final OperatorService operator;
    private final ObjectMapper mapper;

    public LoopResource(TriggerService triggers, OperatorService operator, ObjectMapper mapper) {
        this.triggers = triggers;
        this.operator = operator;
        this.mapper = mapper;
    }

    /**
     * Triggers a tick now, on any replica; 202 with its id, 404 for an unknown loop, 409 while one is in flight
     * (or another writing loop's tick on the same repository, or the admission check refuses), 503 when the
     * tick cannot be published or admission cannot be checked.
     */
    @POST
    @Path("/{id}/ticks")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(content = @Content(schema = @Schema(implementation = TriggerRequest.class)), required = false)
    @Allowed(Permission.OPERATE)
    public Response trigger(@PathParam("id") String id, String body, @Context ContainerRequestContext context) {
        // the body is optional, so any (or no) content type is accepted and JSON is read here
        TriggerRequest request = readRequest(body, TriggerRequest.class, "{\"by\": \"alice\"}");
        String by = by(context, request == null ? null : request.by());
        Event tick = triggers.triggerManually(id, by);
        return Response.accepted(new TriggerAccepted(tick.tickId())).build();
    }

    /**
     * An operator pauses a loop (kept in Postgres: the same on every replica and across restarts): no cadence
     * runs, manual triggers 409, a tick in flight runs to its end. 200 with the loop; 404 unknown loop.
     */
    @POST
    @Path("/{id}/pause")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(content = @Content(schema = @Schema(implementation = OperatorRequest.class)), required = false)
    @Allowed(Permission.OPERATE)
    public LoopStatus pause(@PathParam("id") String id, String body, @Context ContainerRequestContext context) {
        OperatorRequest request = readRequest(body, OperatorRequest.class, "{\"reason\": \"release freeze\"}");
        String reason =
                request == null || request.reason() == null || request.reason().isBlank()
                        ? null
                        : request.reason().strip();
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw new InvalidRequestException("reason", "must be at most " + MAX_REASON_LENGTH + " characters");
        }
        return operator.pause(id, by(context, request == null ? null : request.by()), reason);
    }

    /**
     * Clears an operator's pause and an anomaly halt. 200 with the loop; 404 unknown loop; 409 when the spec
     * file itself says {@code paused: true}.
     */
    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(content = @Content(schema = @Schema(implementation = OperatorRequest.class)), required = false)
    @Allowed(Permission.OPERATE)
    public LoopStatus resume(@PathParam("id") String id, String body, @Context ContainerRequestContext context) {
        OperatorRequest request = readRequest(body, OperatorRequest.class, "{\"by\": \"alice\"}");
        return operator.resume(id, by(context, request == null ? null : request.by()));
    }

    /** The token's name; the body's word only for the shared service token, which names nobody. */
    private static String by(ContainerRequestContext context, String given) {
        Caller caller = ServiceAuth.caller(context).orElseThrow(() -> new IllegalStateException("no caller"));
        if (!caller.bootstrap()) {
            return caller.name();
        }
        String by = given == null || given.isBlank() ? "api" : given.strip();
        if (by.length() > MAX_BY_LENGTH) {
            throw new InvalidRequestException("by", "must be at most " + MAX_BY_LENGTH + " characters");
        }
        return by;
    }

    private <T> T readRequest(String body, Class<T> type, String example) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "expected a JSON object such as " + example);
        }
    }
}
