package dev.loopline.dashboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The slice of the state-service API the dashboard shows. */
@RegisterRestClient(configKey = "state")
@Path("/api/v1")
public interface StateClient {

    @GET
    @Path("/ticks")
    JsonNode ticks(
            @HeaderParam("Authorization") String authorization,
            @QueryParam("loop") String loop,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor);

    @GET
    @Path("/ticks/{id}")
    JsonNode tick(@HeaderParam("Authorization") String authorization, @PathParam("id") String id);

    @GET
    @Path("/loops")
    JsonNode loops(@HeaderParam("Authorization") String authorization);
}
