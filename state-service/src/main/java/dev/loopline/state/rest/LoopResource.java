package dev.loopline.state.rest;

import dev.loopline.state.repository.LoopSummary;
import dev.loopline.state.service.Permission;
import dev.loopline.state.service.TickQueryService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/loops")
@Allowed(Permission.READ)
@Produces(MediaType.APPLICATION_JSON)
public class LoopResource {

    @Inject
    TickQueryService queries;

    @GET
    @Operation(summary = "Every loop that has ticked: team, newest tick, last outcome, tick count")
    public List<LoopSummary> list(@QueryParam("team") String team) {
        return queries.loops(QueryParams.text(team));
    }
}
