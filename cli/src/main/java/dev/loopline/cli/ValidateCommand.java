package dev.loopline.cli;

import dev.loopline.core.spec.SpecLoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "validate",
        description = "Validate a loop spec file or every spec in a directory, in any supported format."
                + " Drift that is tolerated is printed as a warning; exit 1 if any spec is invalid.")
class ValidateCommand implements Callable<Integer> {

    @Parameters(
            arity = "0..1",
            paramLabel = "<path>",
            description = "A spec file or a directory of specs (default: --specs, else the current directory).")
    Path path;

    @Mixin
    SpecSources sources;

    @Override
    public Integer call() {
        if (path != null && !SpecOutput.exists(path)) {
            System.err.println(path + ": no such file or directory");
            return ExitCodes.USAGE;
        }
        SpecLoadResult result = path != null ? SpecOutput.load(path) : sources.load();
        result.specs()
                .forEach(s -> System.out.println(
                        "ok       " + s.spec().id() + "  (" + s.format().label() + ", " + s.file()
                                + ("$".equals(s.source()) ? "" : " " + s.source()) + ")"));
        SpecOutput.printProblems(result, System.out);
        return result.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
