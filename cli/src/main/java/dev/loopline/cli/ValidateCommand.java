package dev.loopline.cli;

import dev.loopline.core.spec.LoadedSpec;
import dev.loopline.core.spec.LoopSpecReader;
import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.core.spec.SpecProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Validate a loop spec file or every spec in a directory.")
class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<path>", description = "A spec file or a directory of specs.")
    Path path;

    @Override
    public Integer call() {
        LoopSpecReader reader = new LoopSpecReader();
        SpecLoadResult result;
        if (Files.isDirectory(path)) {
            result = reader.readDirectory(path);
        } else if (Files.isRegularFile(path)) {
            List<SpecProblem> problems = new ArrayList<>();
            LoadedSpec spec = reader.read(path, problems);
            result = new SpecLoadResult(spec == null ? List.of() : List.of(spec), problems);
        } else {
            System.err.println(path + ": no such file or directory");
            return ExitCodes.USAGE;
        }
        result.specs().forEach(s -> System.out.println("ok       " + s.spec().id() + "  (" + s.file() + ")"));
        result.problems().forEach(p -> System.out.println("invalid  " + p));
        return result.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
