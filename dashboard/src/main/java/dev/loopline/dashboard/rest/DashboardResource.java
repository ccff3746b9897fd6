package dev.loopline.dashboard.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loopline.dashboard.client.Upstream;
import dev.loopline.dashboard.client.Upstream.Service;
import dev.loopline.dashboard.session.Session;
import dev.loopline.dashboard.session.SessionStore;
import dev.loopline.schemas.http.ProblemType;
import dev.loopline.schemas.json.Json;
import dev.loopline.support.rest.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The page's API: each call is made upstream as the signed-in user, with the user's own token, and the answer is
 * relayed as it is (a 403 from a service reaches the page as 403). A 401 upstream means the token no longer works: the
 * session ends. Only the calls listed here pass; the page cannot reach anything else through the dashboard.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    /** A kill or resume as the page sends it; state-service validates it and records who from the token. */
    public record ControlRequest(String scope, String id, String reason) {}

    /** An approval vote as the page sends it; sent on with channel {@code dashboard}. */
    public record VoteRequest(String comment) {}

    private record Vote(String comment, String channel) {}

    @Inject
    Upstream upstream;

    @Inject
    SessionStore sessions;

    @GET
    @Path("/ticks")
    public Response ticks(
            @Context ContainerRequestContext request,
            @QueryParam("loop") String loop,
            @QueryParam("team") String team,
            @QueryParam("outcome") String outcome,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("loop", loop);
        query.put("team", team);
        query.put("outcome", outcome);
        query.put("limit", limit);
        query.put("cursor", cursor);
        return get(request, Service.STATE, "/api/v1/ticks" + query(query));
    }

    @GET
    @Path("/ticks/{id}")
    public Response tick(@Context ContainerRequestContext request, @PathParam("id") String id) {
        return get(request, Service.STATE, "/api/v1/ticks/" + segment(id));
    }

    @GET
    @Path("/loops")
    public Response loops(@Context ContainerRequestContext request) {
        return get(request, Service.STATE, "/api/v1/loops");
    }

    /** The scheduler's loop registry: the page lists the spec files that failed to load, with their problems. */
    @GET
    @Path("/specs")
    public Response specs(@Context ContainerRequestContext request) {
        return get(request, Service.SCHEDULER, "/api/v1/schedule");
    }

    @GET
    @Path("/budget")
    public Response budget(@Context ContainerRequestContext request) {
        return get(request, Service.STATE, "/api/v1/budget");
    }

    @GET
    @Path("/budget/history")
    public Response budgetHistory(@Context ContainerRequestContext request, @QueryParam("days") Integer days) {
        return get(request, Service.STATE, "/api/v1/budget/history" + query(Map.of("days", days == null ? 7 : days)));
    }

    @GET
    @Path("/control")
    public Response control(@Context ContainerRequestContext request) {
        return get(request, Service.STATE, "/api/v1/control");
    }

    @GET
    @Path("/control/events")
    public Response controlEvents(@Context ContainerRequestContext request, @QueryParam("limit") Integer limit) {
        return get(
                request, Service.STATE, "/api/v1/control/events" + query(Map.of("limit", limit == null ? 50 : limit)));
    }

    @POST
    @Path("/control/kill")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response kill(@Context ContainerRequestContext request, ControlRequest body) {
        return post(request, Service.STATE, "/api/v1/control/kill", body);
    }

    @POST
    @Path("/control/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resume(@Context ContainerRequestContext request, ControlRequest body) {
        return post(request, Service.STATE, "/api/v1/control/resume", body);
    }

    @GET
    @Path("/approvals")
    public Response approvals(
            @Context ContainerRequestContext request,
            @QueryParam("state") String state,
            @QueryParam("team") String team,
            @QueryParam("loop") String loop,
            @QueryParam("limit") Integer limit) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("state", state);
        query.put("team", team);
        query.put("loop", loop);
        query.put("limit", limit);
        return get(request, Service.GATE, "/api/v1/approvals" + query(query));
    }

    @POST
    @Path("/approvals/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response approve(@Context ContainerRequestContext request, @PathParam("id") String id, VoteRequest body) {
        return vote(request, id, "approve", body);
    }

    @POST
    @Path("/approvals/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reject(@Context ContainerRequestContext request, @PathParam("id") String id, VoteRequest body) {
        return vote(request, id, "reject", body);
    }

    private Response vote(ContainerRequestContext request, String id, String action, VoteRequest body) {
        Vote vote = new Vote(body == null ? null : body.comment(), "dashboard");
        return post(request, Service.GATE, "/api/v1/approvals/" + segment(id) + "/" + action, vote);
    }

    private Response get(ContainerRequestContext request, Service service, String path) {
        Session session = SessionFilters.session(request);
        return relay(session, service, () -> upstream.get(service, path, session.token()));
    }

    private Response post(ContainerRequestContext request, Service service, String path, Object body) {
        Session session = SessionFilters.session(request);
        String json;
        try {
            json = Json.mapper().writeValueAsString(body == null ? Map.of() : body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
        return relay(session, service, () -> upstream.post(service, path, session.token(), json));
    }

    private Response relay(Session session, Service service, java.util.function.Supplier<Upstream.Answer> call) {
        Upstream.Answer answer;
        try {
            answer = call.get();
        } catch (Upstream.Unavailable e) {
            return Problem.of(Response.Status.BAD_GATEWAY, e.getMessage() + "; try again shortly")
                    .toResponse();
        }
        if (answer.status() == 401) {
            sessions.end(session);
            return Problem.of(
                            ProblemType.UNAUTHORIZED,
                            service.label() + " no longer accepts your token (revoked or expired): sign in again")
                    .toResponse();
        }
        if (answer.status() >= 500) {
            return Problem.of(Response.Status.BAD_GATEWAY, service.label() + " answered " + answer.status())
                    .toResponse();
        }
        return Response.status(answer.status())
                .type(answer.contentType())
                .entity(answer.body())
                .build();
    }

    private static String query(Map<String, ?> params) {
        String query = params.entrySet().stream()
                .filter(e -> e.getValue() != null && !e.getValue().toString().isBlank())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().toString(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
