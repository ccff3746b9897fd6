package dev.loopline.core.policy;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.FileChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a diff may merge without a human: no path may match a deny glob (the policy's own
 * or a built-in {@link DefaultDenyGroup} not explicitly removed), the file and line caps must hold,
 * and every path must match an allow glob. Both sides of renames and copies are checked, deletions
 * count, and binary changes, symlinks and files made executable escalate unless configured off.
 * Globs are compiled once at construction; instances are immutable and thread-safe.
 */
public final class AllowlistPolicy {

    private static final String EXECUTABLE_MODE = "100755";
    private static final String SYMLINK_MODE = "120000";

    private final List<String> allowGlobs;
    private final List<String> denyGlobs;
    private final int maxFiles;
    private final int maxLines;
    private final boolean caseInsensitive;
    private final Set<DefaultDenyGroup> defaultDeny;
    private final boolean escalateBinary;
    private final boolean escalateModeChanges;
    private final GlobSet allow;
    private final GlobSet deny;

    /**
     * A policy with every default deny group applied and binary/mode escalation on.
     *
     * @param maxFiles file cap; 0 or negative means no cap
     * @param maxLines cap on added plus removed lines; 0 or negative means no cap
     */
    public AllowlistPolicy(
            List<String> allowGlobs, List<String> denyGlobs, int maxFiles, int maxLines, boolean caseInsensitive) {
        this(
                allowGlobs,
                denyGlobs,
                maxFiles,
                maxLines,
                caseInsensitive,
                EnumSet.allOf(DefaultDenyGroup.class),
                true,
                true);
    }

    private AllowlistPolicy(
            List<String> allowGlobs,
            List<String> denyGlobs,
            int maxFiles,
            int maxLines,
            boolean caseInsensitive,
            Set<DefaultDenyGroup> defaultDeny,
            boolean escalateBinary,
            boolean escalateModeChanges) {
        this.allowGlobs = List.copyOf(Objects.requireNonNull(allowGlobs, "allowGlobs"));
        this.denyGlobs = List.copyOf(Objects.requireNonNull(denyGlobs, "denyGlobs"));
        this.maxFiles = maxFiles;
        this.maxLines = maxLines;
        this.caseInsensitive = caseInsensitive;
        this.defaultDeny = defaultDeny.isEmpty() ? EnumSet.noneOf(DefaultDenyGroup.class) : EnumSet.copyOf(defaultDeny);
        this.escalateBinary = escalateBinary;
        this.escalateModeChanges = escalateModeChanges;
        this.allow = GlobSet.of(this.allowGlobs, "allow", caseInsensitive);
        List<Glob> denies = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String g : this.denyGlobs) {
            denies.add(Glob.compile(g, caseInsensitive));
            labels.add("deny glob");
        }
        for (DefaultDenyGroup group : this.defaultDeny) {
            for (String g : group.globs()) {
                // The built-in list errs on the safe side: always case-insensitive.
                denies.add(Glob.compile(g, true));
                labels.add("default deny group '" + group.groupName() + "'");
            }
        }
        // The combined prefilter is case-insensitive; each glob then re-checks with its own case rule.
        this.deny = new GlobSet(denies, labels, true);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder()
                .allow(allowGlobs)
                .deny(denyGlobs)
                .maxFiles(maxFiles)
                .maxLines(maxLines)
                .caseInsensitive(caseInsensitive)
                .escalateBinary(escalateBinary)
                .escalateModeChanges(escalateModeChanges);
        b.defaultDeny = EnumSet.allOf(DefaultDenyGroup.class);
        b.defaultDeny.retainAll(defaultDeny);
        return b;
    }

    /** Evaluates deny rules, then caps, then the allowlist. An empty diff is never allowed. */
    public AllowlistDecision evaluate(Diff diff) {
        Objects.requireNonNull(diff, "diff");
        int files = diff.files().size();
        int lines = diff.addedLines() + diff.removedLines();
        if (files == 0) {
            return new AllowlistDecision(false, 0, 0, List.of("empty diff"));
        }
        List<String> reasons = new ArrayList<>();
        for (FileChange f : diff.files()) {
            for (String path : f.paths()) {
                String p = Glob.normalize(path);
                int d = deny.firstMatch(p);
                if (d >= 0) {
                    reasons.add("denied: " + path + " matches " + deny.label(d) + " '"
                            + deny.glob(d).glob() + "'");
                }
            }
            if (escalateBinary && f.binary()) {
                reasons.add("binary change: " + f.path());
            }
            if (escalateModeChanges) {
                if (SYMLINK_MODE.equals(f.newMode()) || SYMLINK_MODE.equals(f.oldMode())) {
                    reasons.add("symlink change: " + f.path());
                } else if (EXECUTABLE_MODE.equals(f.newMode()) && !EXECUTABLE_MODE.equals(f.oldMode())) {
                    reasons.add("made executable: " + f.path() + " (" + f.oldMode() + " -> " + f.newMode() + ")");
                }
            }
        }
        if (maxFiles > 0 && files > maxFiles) {
            reasons.add("too many files: " + files + " > maxFiles " + maxFiles);
        }
        if (maxLines > 0 && lines > maxLines) {
            reasons.add("too many lines: " + lines + " > maxLines " + maxLines);
        }
        for (FileChange f : diff.files()) {
            for (String path : f.paths()) {
                if (allow.firstMatch(Glob.normalize(path)) < 0) {
                    reasons.add("not allowlisted: " + path);
                }
            }
        }
        return new AllowlistDecision(reasons.isEmpty(), files, lines, reasons);
    }

    public List<String> allowGlobs() {
        return allowGlobs;
    }

    public List<String> denyGlobs() {
        return denyGlobs;
    }

    public int maxFiles() {
        return maxFiles;
    }

    public int maxLines() {
        return maxLines;
    }

    public boolean caseInsensitive() {
        return caseInsensitive;
    }

    public Set<DefaultDenyGroup> defaultDeny() {
        return defaultDeny.isEmpty() ? EnumSet.noneOf(DefaultDenyGroup.class) : EnumSet.copyOf(defaultDeny);
    }

    /** Builds a policy from the plain lists a spec reader produces. */
    public static final class Builder {
        private final List<String> allow = new ArrayList<>();
        private final List<String> deny = new ArrayList<>();
        private int maxFiles;
        private int maxLines;
        private boolean caseInsensitive = true;
        private boolean escalateBinary = true;
        private boolean escalateModeChanges = true;
        private EnumSet<DefaultDenyGroup> defaultDeny = EnumSet.allOf(DefaultDenyGroup.class);

        public Builder allow(Collection<String> globs) {
            allow.addAll(globs);
            return this;
        }

        public Builder allow(String... globs) {
            return allow(List.of(globs));
        }

        public Builder deny(Collection<String> globs) {
            deny.addAll(globs);
            return this;
        }

        public Builder deny(String... globs) {
            return deny(List.of(globs));
        }

        public Builder maxFiles(int maxFiles) {
            this.maxFiles = maxFiles;
            return this;
        }

        public Builder maxLines(int maxLines) {
            this.maxLines = maxLines;
            return this;
        }

        public Builder caseInsensitive(boolean caseInsensitive) {
            this.caseInsensitive = caseInsensitive;
            return this;
        }

        public Builder escalateBinary(boolean escalate) {
            this.escalateBinary = escalate;
            return this;
        }

        public Builder escalateModeChanges(boolean escalate) {
            this.escalateModeChanges = escalate;
            return this;
        }

        /** Removes built-in deny groups by name, e.g. {@code removeDefaultDeny("migrations")}. */
        public Builder removeDefaultDeny(Collection<String> groupNames) {
            for (String name : groupNames) {
                defaultDeny.remove(DefaultDenyGroup.byName(name));
            }
            return this;
        }

        public Builder removeDefaultDeny(String... groupNames) {
            return removeDefaultDeny(List.of(groupNames));
        }

        public AllowlistPolicy build() {
            return new AllowlistPolicy(
                    allow, deny, maxFiles, maxLines, caseInsensitive, defaultDeny, escalateBinary, escalateModeChanges);
        }
    }
}
