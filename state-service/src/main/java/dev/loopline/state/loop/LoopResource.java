package dev.loopline.state.loop;

import dev.loopline.core.auth.Permission;
import dev.loopline.core.control.ControlBoard;
import dev.loopline.state.common.QueryParams;
import dev.loopline.state.control.ControlService;
import dev.loopline.state.runlog.LoopSummary;
import dev.loopline.state.runlog.TickQueryService;
import dev.loopline.support.rest.Allowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/loops")
@Allowed(Permission.READ)
@Produces(MediaType.APPLICATION_JSON)
public class LoopResource {

    @Inject
    TickQueryService queries;

    @Inject
    ControlService control;

    @Inject
    Clock clock;

    @Inject
    SchedulerLoops scheduler;

    @GET
    @Operation(
            summary = "Every loop that has ticked or that the scheduler runs: team, level, newest tick, last run and"
                    + " outcome, tick count, open items (awaiting approval or escalated), whether it may run now (run,"
                    + " report-only, halted by a kill switch, a budget or the scheduler, with the reason), and the"
                    + " scheduler's next run and pause")
    public List<LoopView> list(@QueryParam("team") String team) {
        String teamFilter = QueryParams.text(team);
        ControlBoard board = ControlBoard.of(control.snapshot());
        SchedulerLoops.Schedule schedule = scheduler.fetch();
        Instant now = clock.instant();
        List<LoopView> loops = new ArrayList<>();
        Set<String> ticked = new HashSet<>();
        for (LoopSummary loop : queries.loops(teamFilter)) {
            ticked.add(loop.loopId());
            loops.add(LoopView.of(loop, board.admission(loop.loopId(), loop.team(), now), schedule));
        }
        for (SchedulerLoops.Entry scheduled : schedule.loops().values()) {
            if (!ticked.contains(scheduled.loopId()) && (teamFilter == null || teamFilter.equals(scheduled.team()))) {
                loops.add(LoopView.scheduledOnly(
                        scheduled, board.admission(scheduled.loopId(), scheduled.team(), now), schedule.status()));
            }
        }
        loops.sort(Comparator.comparing(LoopView::loopId));
        return loops;
    }
}
