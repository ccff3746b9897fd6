package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "show",
        description = "Show a loop's state and recent ticks: from a running deployment (--state-url, the"
                + " environment, or the local stack), or with --local from loopline run's state file.")
class ShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<loop>", description = "The loop id.")
    String loop;

    @Option(names = "--limit", defaultValue = "10", description = "How many recent ticks (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--local", description = "Read loopline run's state file instead of a deployment.")
    boolean local;

    @Option(
            names = "--state-file",
            paramLabel = "<file>",
            description = "loopline run's state file (default: .loopline/run-state.json here); implies --local.")
    Path stateFile;

    @Mixin
    RemoteOptions remote;

    private static final String TICK_ROW = "%-34s %-18s %-20s %8s%n";

    @Override
    public Integer call() {
        if (local || stateFile != null) {
            return local(stateFile == null ? LocalRunState.DEFAULT_FILE : stateFile);
        }
        Api state = remote.state();
        Api.Answer loops = state.get("/api/v1/loops");
        if (!loops.ok()) {
            System.err.println("show " + loop + ": " + loops.problem());
            return ExitCodes.FAILURE;
        }
        JsonNode found = null;
        for (JsonNode l : loops.body()) {
            if (loop.equals(l.path("loopId").asText())) {
                found = l;
            }
        }
        if (found == null) {
            System.err.println("show " + loop + ": no loop '" + loop + "' in the deployment"
                    + " (it has neither ticked nor is it scheduled); loopline list --specs <dir> lists local specs");
            return ExitCodes.USAGE;
        }
        System.out.println(
                "loop       " + loop + "  (team " + text(found, "team") + ", level " + text(found, "level") + ")");
        System.out.println("state      " + text(found, "admission")
                + (found.hasNonNull("admissionReason")
                        ? ": " + found.get("admissionReason").asText()
                        : "")
                + (found.path("paused").asBoolean(false)
                        ? "; paused"
                                + (found.hasNonNull("pauseReason")
                                        ? ": " + found.get("pauseReason").asText()
                                        : "")
                        : ""));
        System.out.println("ticks      " + found.path("tickCount").asLong() + " in all, "
                + found.path("openItems").asLong() + " open (awaiting approval or escalated)");
        System.out.println("last       " + text(found, "lastTickId") + " " + text(found, "lastOutcome") + " at "
                + text(found, "lastTickAt"));
        System.out.println("next run   " + text(found, "nextRunAt"));
        Api.Answer ticks =
                state.get("/api/v1/ticks?limit=" + limit + "&loop=" + URLEncoder.encode(loop, StandardCharsets.UTF_8));
        if (!ticks.ok()) {
            System.err.println("show " + loop + ": " + ticks.problem());
            return ExitCodes.FAILURE;
        }
        System.out.println();
        System.out.printf(TICK_ROW, "TICK", "OUTCOME", "STARTED", "TOKENS");
        for (JsonNode t : ticks.body().path("items")) {
            System.out.printf(
                    TICK_ROW,
                    t.path("tickId").asText(),
                    t.hasNonNull("outcome")
                            ? t.get("outcome").asText()
                            : t.path("status").asText(),
                    text(t, "startedAt"),
                    t.path("tokens").asLong());
        }
        return ExitCodes.OK;
    }

    private int local(Path file) {
        LocalRunState state = LocalRunState.read(file);
        LocalRunState.Loop l = state.loop(loop);
        if (l.ticks().isEmpty()) {
            System.err.println("show " + loop + ": no tick of '" + loop + "' in " + file
                    + "; run one with loopline run " + loop + " --dry-run");
            return ExitCodes.USAGE;
        }
        System.out.println("loop       " + loop + "  (local runs, " + file + ")");
        System.out.println("cursors    " + (l.cursors().isEmpty() ? "none" : l.cursors()));
        System.out.println("today      " + state.spentToday(loop) + " tokens");
        System.out.println();
        System.out.printf(TICK_ROW, "TICK", "OUTCOME", "TIME", "TOKENS");
        List<LocalRunState.Tick> ticks = l.ticks();
        for (LocalRunState.Tick t : ticks.subList(Math.max(0, ticks.size() - limit), ticks.size())) {
            System.out.printf(TICK_ROW, t.tickId(), t.outcome() + (t.dryRun() ? " (dry)" : ""), t.time(), t.tokens());
        }
        return ExitCodes.OK;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : "-";
    }
}
