package dev.loopline.state.runlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.auth.Permission;
import dev.loopline.schemas.events.TickCompleted;
import dev.loopline.schemas.json.Json;
import dev.loopline.state.common.ApiException;
import dev.loopline.state.common.QueryParams;
import dev.loopline.state.common.StateConfig;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/ticks")
@Allowed(Permission.READ)
@Produces(MediaType.APPLICATION_JSON)
public class TickResource {

    private static final List<String> OUTCOMES = Arrays.stream(TickCompleted.Outcome.values())
            .map(TickCompleted.Outcome::wireName)
            .toList();

    @Inject
    TickQueryService queries;

    @Inject
    StateConfig config;

    @GET
    @Operation(summary = "Ticks, newest first, with keyset pagination")
    public TickPage list(
            @QueryParam("loop") String loop,
            @QueryParam("team") String team,
            @Parameter(description = "A TickCompleted outcome, e.g. merged") @QueryParam("outcome") String outcome,
            @Parameter(description = "Inclusive lower bound of the start time (ISO-8601)") @QueryParam("since")
                    String since,
            @Parameter(description = "Exclusive upper bound of the start time (ISO-8601)") @QueryParam("until")
                    String until,
            @Parameter(description = "Page size, 1 to 200") @QueryParam("limit") Integer limit,
            @Parameter(description = "The nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        String outcomeFilter = QueryParams.text(outcome);
        if (outcomeFilter != null && !OUTCOMES.contains(outcomeFilter)) {
            throw ApiException.invalidParameter("outcome", "must be one of " + String.join(", ", OUTCOMES));
        }
        Instant from = QueryParams.instant("since", since);
        Instant to = QueryParams.instant("until", until);
        TickCursor after = QueryParams.text(cursor) == null
                ? null
                : TickCursor.decode(cursor.strip())
                        .orElseThrow(() -> ApiException.invalidParameter("cursor", "is not a cursor of this listing"));
        TickQueryService.Page page = queries.ticks(
                new TickFilter(QueryParams.text(loop), QueryParams.text(team), outcomeFilter, from, to),
                after,
                QueryParams.limit(limit, config.api()));
        return new TickPage(
                page.items().stream().map(TickView::of).toList(),
                page.next().map(TickCursor::encode).orElse(null));
    }

    @GET
    @Path("/{tickId}")
    @Operation(summary = "A tick and its full timeline of events, in order")
    public TickDetailView get(@PathParam("tickId") String tickId) {
        TickQueryService.Detail detail =
                queries.detail(tickId).orElseThrow(() -> ApiException.notFound("No tick " + tickId));
        return new TickDetailView(
                TickView.of(detail.tick()),
                detail.timeline().stream().map(TickResource::step).toList(),
                detail.costUsd().orElse(null));
    }

    private static TickDetailView.Step step(RunEventEntity e) {
        return new TickDetailView.Step(e.id, e.type, e.time, e.attempt, e.source, json(e.payload));
    }

    private static JsonNode json(String stored) {
        try {
            return Json.mapper().readTree(stored);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("run_event payload is not JSON", e);
        }
    }
}
