package dev.loopline.core.check;

import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.guard.harness.HarnessCheck;
import dev.loopline.core.guard.harness.HarnessFinding;
import dev.loopline.core.guard.harness.Tree;
import dev.loopline.core.io.Git;
import dev.loopline.core.io.GitException;
import dev.loopline.core.io.ProcessRunner;
import dev.loopline.schemas.events.Finding;
import dev.loopline.schemas.spec.LoopSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The harness pin in a patched checkout: finds the changes to files that decide whether the tests pass (core's
 * {@link HarnessCheck}, reading the base from the checkout's {@code HEAD}) and puts those files back as the base
 * has them before the tests run, so the test result always comes from the base's harness.
 */
final class HarnessPin {

    /** Git reads paths literally: a maker's file name is never a pathspec. */
    private static final Map<String, String> LITERAL = Map.of("GIT_LITERAL_PATHSPECS", "1");

    private final Git git;

    HarnessPin(Git git) {
        this.git = git;
    }

    /**
     * @throws DiffParseException when the diff cannot be parsed
     * @throws IllegalArgumentException when the test command cannot be parsed or a protected glob is invalid
     * @throws UncheckedIOException when git cannot read the base
     */
    HarnessCheck.Result check(LoopSpec spec, String diff, Path checkout) throws DiffParseException {
        String command = spec.test() == null ? null : spec.test().command();
        return new HarnessCheck(command, spec.protectedOrEmpty())
                .check(DiffParser.parse(diff), base(checkout), patched(checkout));
    }

    /** Every touched path back as the base has it: restored when the base has it, removed when it does not. */
    void restore(Path checkout, HarnessCheck.Result result) {
        Tree base = base(checkout);
        for (String path : result.touchedPaths()) {
            Path file = checkout.resolve(path).normalize();
            if (!file.startsWith(checkout)) {
                throw new IllegalStateException("path leaves the checkout: " + path);
            }
            if (base.read(path).isPresent()) {
                git.run(checkout, LITERAL, null, "checkout", "HEAD", "--", path);
            } else {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + path + " before the tests", e);
                }
            }
        }
    }

    static Finding toFinding(HarnessFinding finding) {
        return new Finding(
                finding.ruleId(),
                Finding.Severity.HIGH,
                finding.role() + ": " + finding.change(),
                finding.path(),
                null,
                null);
    }

    /** The base's files, from the checkout's HEAD; a git failure is an error, never "no such file". */
    private Tree base(Path checkout) {
        return path -> {
            ProcessRunner.Result listed = git.tryRun(checkout, LITERAL, null, "ls-tree", "HEAD", "--", path);
            if (!listed.ok()) {
                throw new UncheckedIOException(new IOException("git ls-tree failed for " + path + ": "
                        + listed.outputTail(500).strip()));
            }
            String entry = listed.output().strip();
            // "<mode> blob <sha>\t<path>"; a tree or a submodule is not a file
            if (entry.isEmpty() || !entry.contains(" blob ")) {
                return Optional.empty();
            }
            String sha = entry.substring(entry.indexOf(" blob ") + 6, entry.indexOf('\t'));
            try {
                return Optional.of(git.run(checkout, LITERAL, null, "cat-file", "blob", sha));
            } catch (GitException e) {
                throw new UncheckedIOException(new IOException(e.getMessage(), e));
            }
        };
    }

    /** The patched files; a symbolic link never reads as the file it points to. */
    private static Tree patched(Path checkout) {
        return path -> {
            Path file = checkout.resolve(path).normalize();
            if (!file.startsWith(checkout) || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            if (Files.isSymbolicLink(file)) {
                return Optional.of("\0symbolic link");
            }
            try {
                return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
