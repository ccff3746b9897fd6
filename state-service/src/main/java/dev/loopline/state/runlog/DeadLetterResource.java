package dev.loopline.state.runlog;

import dev.loopline.core.auth.Permission;
import dev.loopline.state.common.QueryParams;
import dev.loopline.state.common.StateConfig;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/dead-letters")
@Allowed(Permission.READ)
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    @Inject
    TickQueryService queries;

    @Inject
    StateConfig config;

    @GET
    @Operation(summary = "The most recent messages this service dead-lettered, newest first")
    public List<DeadLetterView> recent(@QueryParam("limit") Integer limit) {
        return queries.deadLetters(QueryParams.limit(limit, config.api())).stream()
                .map(DeadLetterView::of)
                .toList();
    }
}
