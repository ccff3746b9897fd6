package dev.loopline.cli;

import dev.loopline.core.spec.SpecLoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        description = "List the loops of a spec directory (loopline.yaml, loop-engineering registry.yaml,"
                + " Strive loop.json).")
class ListCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..1",
            paramLabel = "<dir>",
            description = "Directory of loop specs (or one spec file); default: --specs, else the current directory.")
    Path dir;

    @Mixin
    SpecSources sources;

    @Override
    public Integer call() {
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
}
