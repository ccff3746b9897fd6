package dev.loopline.core.guard.harness;

import dev.loopline.core.diff.ChangeType;
import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.FileChange;
import dev.loopline.core.policy.Glob;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which changes of a diff touch the pinned harness or a loop spec. The harness is what decides whether the
 * tests pass: the files the test command runs (read from the base tree), CI definitions, build and test
 * configuration, snapshot and golden files, and the spec's own {@code protected} globs. A change to any of them
 * — edit, addition, deletion, rename either way, mode change, binary patch — is a finding, whatever the level or
 * allowlist says: a check the change can rewrite proves nothing about the change.
 */
public final class HarnessCheck {

    /** What the check found, and every path the offending changes touch (to restore from the base). */
    public record Result(List<HarnessFinding> findings, Set<String> touchedPaths) {
        public Result {
            findings = List.copyOf(findings);
            touchedPaths = Set.copyOf(touchedPaths);
        }

        public boolean clean() {
            return findings.isEmpty();
        }
    }

    private final String testCommand;
    private final List<Glob> protectedGlobs;

    /**
     * @param testCommand the spec's test command, or null when it has none
     * @param protectedGlobs the spec's {@code protected} globs (repository-relative)
     * @throws IllegalArgumentException for a glob that cannot be compiled
     */
    public HarnessCheck(String testCommand, List<String> protectedGlobs) {
        this.testCommand = testCommand == null || testCommand.isBlank() ? null : testCommand;
        List<Glob> globs = new ArrayList<>();
        for (String g : protectedGlobs == null ? List.<String>of() : protectedGlobs) {
            globs.add(Glob.compile(g, false));
        }
        this.protectedGlobs = List.copyOf(globs);
    }

    /**
     * @param base the tree the change applies to
     * @param patched the same tree with the change applied
     * @throws IllegalArgumentException when the test command cannot be parsed, so its harness is unknown
     */
    public Result check(Diff diff, Tree base, Tree patched) {
        Map<String, String> scripts = testCommand == null ? Map.of() : TestCommandScripts.resolve(testCommand, base);
        List<HarnessFinding> findings = new ArrayList<>();
        Set<String> touched = new LinkedHashSet<>();
        for (FileChange change : diff.files()) {
            for (String path : pathsOf(change)) {
                Optional<HarnessFinding> finding = pinned(path, change, scripts, base, patched);
                if (finding.isPresent()) {
                    findings.add(finding.get());
                    touched.addAll(change.paths());
                    break;
                }
            }
        }
        return new Result(findings, touched);
    }

    /** A copy leaves its source as it was: only the copy's own path can be a change. */
    private static List<String> pathsOf(FileChange change) {
        return change.type() == ChangeType.COPIED ? List.of(change.newPath()) : change.paths();
    }

    private Optional<HarnessFinding> pinned(
            String path, FileChange change, Map<String, String> scripts, Tree base, Tree patched) {
        Optional<PinnedNames.Pin> byName = PinnedNames.of(path);
        if (byName.isPresent() && byName.get().ruleId().equals(HarnessFinding.LOOP_SPEC_CHANGED)) {
            return Optional.of(
                    finding(byName.get().ruleId(), path, change, byName.get().role()));
        }
        String script = scripts.get(path);
        if (script != null) {
            return Optional.of(finding(HarnessFinding.HARNESS_CHANGED, path, change, script));
        }
        for (Glob glob : protectedGlobs) {
            if (glob.matches(path)) {
                return Optional.of(finding(
                        HarnessFinding.HARNESS_CHANGED, path, change, "protected by the spec (" + glob.glob() + ")"));
            }
        }
        if (byName.isPresent()) {
            return Optional.of(
                    finding(byName.get().ruleId(), path, change, byName.get().role()));
        }
        if (SpecContent.mayBeSpec(path)
                && (SpecContent.isSpec(base.read(path).orElse(null))
                        || SpecContent.isSpec(patched.read(path).orElse(null)))) {
            return Optional.of(finding(
                    HarnessFinding.LOOP_SPEC_CHANGED,
                    path,
                    change,
                    "a loop spec (by its content); no loop may change any loop's spec"));
        }
        if (ConfigSections.handles(path)) {
            // each side as it stands at this path: an added manifest is compared with none, a deleted one with none
            boolean differs =
                    change.binary() || ConfigSections.pinnedPartsDiffer(path, base.read(path), patched.read(path));
            if (differs) {
                return Optional.of(finding(HarnessFinding.HARNESS_CHANGED, path, change, ConfigSections.role(path)));
            }
        }
        return Optional.empty();
    }

    private static HarnessFinding finding(String ruleId, String path, FileChange change, String role) {
        return new HarnessFinding(ruleId, path, describe(change, path), role);
    }

    private static String describe(FileChange change, String path) {
        return switch (change.type()) {
            case ADDED -> "added";
            case DELETED -> "deleted";
            case RENAMED -> path.equals(change.oldPath())
                    ? "renamed to " + change.newPath()
                    : "renamed from " + change.oldPath();
            case COPIED -> "copied from " + change.oldPath();
            case MODIFIED -> change.binary()
                    ? "changed (binary patch)"
                    : change.modeChanged() && change.hunks().isEmpty()
                            ? "mode changed " + change.oldMode() + " → " + change.newMode()
                            : change.modeChanged() ? "edited, mode changed" : "edited";
        };
    }
}
