package dev.loopline.state.loop;

import dev.loopline.core.auth.Permission;
import dev.loopline.state.common.ApiException;
import dev.loopline.state.common.QueryParams;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The state and the run log as Markdown, in the loop-engineering conventions (STATE.md, loop-run-log.md). */
@Path("/api/v1/exports")
@Allowed(Permission.READ)
public class ExportResource {

    static final String MARKDOWN = "text/markdown;charset=UTF-8";
    private static final int MAX_ROWS = 1000;
    private static final int DEFAULT_ROWS = 200;

    @Inject
    ExportService exports;

    @GET
    @Path("/state.md")
    @Produces(MARKDOWN)
    @Operation(summary = "STATE.md: a Global block and one section per loop (unknown values: unset)")
    public String state(@QueryParam("team") String team) {
        return exports.state(QueryParams.text(team));
    }

    @GET
    @Path("/run-log.md")
    @Produces(MARKDOWN)
    @Operation(summary = "loop-run-log.md: one row per completed tick, oldest first (the newest `limit`, ≤ 1000)")
    public String runLog(
            @QueryParam("team") String team, @QueryParam("loop") String loop, @QueryParam("limit") Integer limit) {
        int rows = limit == null ? DEFAULT_ROWS : limit;
        if (rows < 1 || rows > MAX_ROWS) {
            throw ApiException.invalidParameter("limit", "must be between 1 and " + MAX_ROWS);
        }
        return exports.runLog(QueryParams.text(team), QueryParams.text(loop), rows);
    }
}
