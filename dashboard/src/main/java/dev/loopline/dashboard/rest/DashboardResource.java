package dev.loopline.dashboard.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.dashboard.client.StateClient;
import dev.loopline.dashboard.config.DashboardConfig;
import dev.loopline.support.rest.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The browser's API: reads from state-service with the dashboard's own token, so the operator's token
 * never travels further than the dashboard.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    @Inject
    @RestClient
    StateClient state;

    @Inject
    DashboardConfig config;

    @GET
    @Path("/ticks")
    public JsonNode ticks(
            @QueryParam("loop") String loop, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return call(() -> state.ticks(stateAuth(), loop, limit, cursor));
    }

    @GET
    @Path("/ticks/{id}")
    public JsonNode tick(@PathParam("id") String id) {
        return call(() -> state.tick(stateAuth(), id));
    }

    @GET
    @Path("/loops")
    public JsonNode loops() {
        return call(() -> state.loops(stateAuth()));
    }

    private String stateAuth() {
        return "Bearer " + config.stateToken().orElse("");
    }

    private static JsonNode call(java.util.function.Supplier<JsonNode> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            Response.Status mapped = status == 404 ? Response.Status.NOT_FOUND : Response.Status.BAD_GATEWAY;
            throw new WebApplicationException(
                    Problem.of(mapped, status == 404 ? "not found" : "state-service answered " + status)
                            .toResponse());
        } catch (RuntimeException e) {
            throw new WebApplicationException(Problem.of(
                            Response.Status.BAD_GATEWAY,
                            "state-service is not reachable; the dashboard retries on refresh")
                    .toResponse());
        }
    }
}
