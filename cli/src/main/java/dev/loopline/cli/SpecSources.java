package dev.loopline.cli;

import dev.loopline.core.spec.SpecLoadResult;
import dev.loopline.core.spec.SpecRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the loop-first verbs ({@code plan <loop>}, {@code run <loop>}, {@code list}, {@code show <loop>}) find their
 * specs: {@code --specs <dir|file>}, or else the directory the user stands in — its {@code registry.yaml},
 * {@code loopline.yaml}, {@code *.loop.json} and other spec files, and its {@code loops/} directory. Paths are
 * relative to the current directory.
 */
class SpecSources {

    static final String LOOPS_DIR = "loops";

    @Option(
            names = "--specs",
            paramLabel = "<dir|file>",
            description = "Where the loop specs are (default: the current directory: registry.yaml, loops/,"
                    + " *.loop.json, loopline.yaml).")
    Path specs;

    /** The files and directories read: {@code --specs}, or the current directory and its {@code loops/}. */
    List<Path> paths() {
        if (specs != null) {
            if (!SpecOutput.exists(specs)) {
                throw new UsageException(
                        specs + ": no such file or directory; pass --specs a spec file or a" + " directory of specs");
            }
            return List.of(specs);
        }
        List<Path> paths = new ArrayList<>();
        paths.add(Path.of("."));
        Path loops = Path.of(LOOPS_DIR);
        if (Files.isDirectory(loops)) {
            paths.add(loops);
        }
        return List.copyOf(paths);
    }

    /** What {@link #paths()} names, for messages. */
    String describe() {
        if (specs != null) {
            return specs.toString();
        }
        return "the current directory (" + Path.of("").toAbsolutePath() + ")";
    }

    /**
     * Every loop found; a current directory with no spec at all is a usage error that says what was looked for and
     * how to point elsewhere.
     */
    SpecLoadResult load() {
        SpecLoadResult result = new SpecRepository().loadAll(paths());
        if (specs == null && result.specs().isEmpty() && result.problems().isEmpty()) {
            throw new UsageException("no loop specs in " + describe() + ": looked for registry.yaml, loopline.yaml,"
                    + " *.loop.json and loops/; pass --specs <dir|file>, or run where your specs are");
        }
        return result;
    }
}
