package dev.loopline.cli;

import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.core.spec.SpecLoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "list", description = "List the loops of a spec directory.")
class ListCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<dir>", description = "Directory of loop specs.")
    Path dir;

    @Override
    public Integer call() {
        SpecLoadResult result = new LoopSpecReader().readDirectory(dir);
        System.out.printf("%-28s %-12s %-13s %-6s %-10s%n", "LOOP", "TEAM", "KIND", "LEVEL", "CADENCE");
        result.specs()
                .forEach(s -> System.out.printf(
                        "%-28s %-12s %-13s %-6s %-10s%n",
                        s.spec().id(),
                        s.spec().teamOrDefault(),
                        s.spec()
                                .kind()
                                .name()
                                .toLowerCase(java.util.Locale.ROOT)
                                .replace('_', '-'),
                        s.spec().level(),
                        s.spec().cadence() == null ? "manual" : s.spec().cadence()));
        result.problems().forEach(p -> System.out.println("invalid  " + p));
        return result.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
