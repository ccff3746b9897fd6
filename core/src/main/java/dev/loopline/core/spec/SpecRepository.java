package dev.loopline.core.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The loops of a file or a directory, in every supported format. One invalid spec (or file) never hides
 * the valid ones; a loop id defined twice keeps the first definition and reports the second.
 */
public final class SpecRepository {

    private final SpecReaders readers;

    public SpecRepository() {
        this(new SpecReaders());
    }

    public SpecRepository(SpecReaders readers) {
        this.readers = readers;
    }

    /**
     * Reads one spec file, or every spec file directly inside a directory (sorted by name); in a directory, files that
     * are plainly not loop specs (JSON Schemas, other JSON and YAML documents without a loop id) are skipped.
     */
    public SpecLoadResult load(Path fileOrDirectory) {
        if (Files.isRegularFile(fileOrDirectory)) {
            return dedupe(readers.read(fileOrDirectory));
        }
        if (!Files.isDirectory(fileOrDirectory)) {
            return SpecLoadResult.problem(
                    new SpecProblem(fileOrDirectory.toString(), "", "no such spec file or directory"));
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(fileOrDirectory)) {
            files = listing.filter(SpecReaders::isSpecFile).sorted().toList();
        } catch (IOException e) {
            return SpecLoadResult.problem(
                    new SpecProblem(fileOrDirectory.toString(), "", "cannot list directory: " + e.getMessage()));
        }
        SpecLoadResult all = SpecLoadResult.empty();
        for (Path file : files) {
            all = all.plus(readers.readListed(file));
        }
        return dedupe(all);
    }

    /**
     * The loops of several files and directories together, as {@link #load(Path)} reads each; a loop id defined in
     * two of them keeps the first definition and reports the second.
     */
    public SpecLoadResult loadAll(List<Path> filesOrDirectories) {
        SpecLoadResult all = SpecLoadResult.empty();
        for (Path path : filesOrDirectories) {
            all = all.plus(load(path));
        }
        return dedupe(all);
    }

    private static SpecLoadResult dedupe(SpecLoadResult result) {
        Map<String, LoadedSpec> seen = new HashMap<>();
        List<LoadedSpec> kept = new ArrayList<>();
        List<SpecProblem> problems = new ArrayList<>(result.problems());
        for (LoadedSpec s : result.specs()) {
            LoadedSpec previous = seen.putIfAbsent(s.spec().id(), s);
            if (previous == null) {
                kept.add(s);
            } else {
                problems.add(new SpecProblem(
                        s.file().toString(),
                        "$".equals(s.source()) ? "$.id" : s.source() + ".id",
                        "duplicate loop id '" + s.spec().id() + "', already defined in " + previous.file()
                                + ("$".equals(previous.source()) ? "" : " at " + previous.source())));
            }
        }
        return new SpecLoadResult(kept, problems, result.warnings());
    }
}
