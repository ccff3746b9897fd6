package dev.loopline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopline.core.spec.SpecLoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        description = "List the loops of a spec directory (loopline.yaml, loop-engineering registry.yaml,"
                + " Strive loop.json), or with --state-url those of a running deployment.")
class ListCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..1",
            paramLabel = "<dir>",
            description = "Directory of loop specs (or one spec file); default: --specs, else the current directory.")
    Path dir;

    @Mixin
    SpecSources sources;

    @Mixin
    RemoteOptions remote;

    @Override
    public Integer call() {
        if (remote.stateUrl != null) {
            return deployment();
        }
        if (dir != null && !SpecOutput.exists(dir)) {
            System.err.println(dir + ": no such file or directory");
            return ExitCodes.USAGE;
        }
        SpecLoadResult result = dir != null ? SpecOutput.load(dir) : sources.load();
        String row = "%-28s %-12s %-13s %-6s %-10s %-17s%n";
        System.out.printf(row, "LOOP", "TEAM", "KIND", "LEVEL", "CADENCE", "FORMAT");
        result.specs()
                .forEach(s -> System.out.printf(
                        row,
                        s.spec().id(),
                        s.spec().teamOrDefault(),
                        SpecOutput.kind(s.spec().kind()),
                        s.spec().level(),
                        s.spec().cadence() == null ? "manual" : s.spec().cadence(),
                        s.format().label()));
        SpecOutput.printProblems(result, System.out);
        return result.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** The deployment's loops (state-service {@code GET /api/v1/loops}): level, what may run now, last outcome. */
    private int deployment() {
        Api.Answer answer = remote.state().get("/api/v1/loops");
        if (!answer.ok()) {
            System.err.println("list: " + answer.problem());
            return ExitCodes.FAILURE;
        }
        String row = "%-28s %-12s %-6s %-12s %-18s %6s%n";
        System.out.printf(row, "LOOP", "TEAM", "LEVEL", "STATE", "LAST OUTCOME", "TICKS");
        for (JsonNode l : answer.body()) {
            System.out.printf(
                    row,
                    l.path("loopId").asText(),
                    l.path("team").asText("-"),
                    l.path("level").asText("-"),
                    l.path("admission").asText("-"),
                    l.hasNonNull("lastOutcome") ? l.get("lastOutcome").asText() : "-",
                    l.path("tickCount").asLong());
        }
        return ExitCodes.OK;
    }
}
