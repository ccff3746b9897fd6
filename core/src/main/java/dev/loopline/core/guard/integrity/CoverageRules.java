package dev.loopline.core.guard.integrity;

import dev.loopline.core.diff.Hunk;
import dev.loopline.core.diff.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Coverage gates in configuration, build and CI files: a threshold whose number went down or that was removed
 * ({@code fail_under}, {@code --cov-fail-under}, jest {@code coverageThreshold}, nyc/c8 {@code check-coverage}
 * and per-metric numbers, JaCoCo {@code <minimum>}, codecov {@code target}), and files excluded from coverage
 * ({@code omit}, {@code exclude}, {@code coveragePathIgnorePatterns}). Removed and added settings are paired
 * by their key within the file; raised thresholds and new ones are fine. One instance per file.
 */
final class CoverageRules {

    /** Keys that name a coverage gate wherever they appear. */
    private static final String[] STRONG_KEYS = {
        "fail_under", "fail-under", "failunder", "coveragethreshold", "check-coverage", "checkcoverage",
        "min_coverage", "min-coverage", "mincoverage", "minimumcoverage", "coverage_threshold", "coverage-threshold",
        "coveredratio", "<minimum>", "jacoco"
    };
    /** Keys that name a coverage gate only in a coverage context (the file or the hunk is about coverage). */
    private static final String[] CONTEXT_KEYS = {
        "branches", "lines", "functions", "statements", "threshold", "target", "minimum", "perfile", "watermarks"
    };

    private static final CharMask.Literal DIGITS = new CharMask.Literal("0123456789");

    private record Setting(String key, double value, Line line, String text) {}

    private final String path;
    private final boolean coverageFile;
    private final List<Finding> out;
    private final List<Setting> removed = new ArrayList<>();
    private final List<Setting> added = new ArrayList<>();
    private Hunk hunk;
    private Boolean hunkAboutCoverage;
    private Boolean hunkMentionsExclusion;

    CoverageRules(String path, List<Finding> out) {
        this.path = path;
        this.out = out;
        String base = PathKind.basename(path).toLowerCase(Locale.ROOT);
        this.coverageFile = base.contains("cov")
                || base.contains("nyc")
                || base.startsWith(".c8")
                || base.contains("jacoco")
                || base.contains("sonar");
    }

    void beginHunk(Hunk h) {
        hunk = h;
        hunkAboutCoverage = null;
        hunkMentionsExclusion = null;
    }

    void removed(Line l, String t, CharMask m) {
        if (hasDigit(m)) {
            settings(l, t, removed);
        }
    }

    void added(Line l, String t, CharMask m) {
        if (hasDigit(m)) {
            settings(l, t, added);
        }
        String lower = null;
        if (m.has('f') || m.has('F')) {
            lower = t.toLowerCase(Locale.ROOT);
            String c = TestSyntax.compact(lower);
            if (c.contains("check-coverage:false")
                    || c.contains("\"check-coverage\":false")
                    || c.contains("checkcoverage:false")
                    || c.contains("\"checkcoverage\":false")
                    || c.contains("--no-check-coverage")) {
                out.add(IntegrityScanner.finding(IntegrityRule.COVERAGE_WEAKENED, path, l, Severity.HIGH));
                return;
            }
        }
        if (m.has('o') || m.has('x') || m.has('*') || m.has('!') || m.has('/')) {
            exclusion(l, t, lower == null ? t.toLowerCase(Locale.ROOT) : lower);
        }
    }

    private void exclusion(Line l, String t, String lower) {
        if (lower.contains("coveragepathignorepatterns") || lower.contains("--cov-config")) {
            out.add(IntegrityScanner.finding(IntegrityRule.COVERAGE_WEAKENED, path, l, Severity.MEDIUM));
            return;
        }
        if (lower.contains("collectcoveragefrom") && (t.contains("'!") || t.contains("\"!"))) {
            out.add(IntegrityScanner.finding(IntegrityRule.COVERAGE_WEAKENED, path, l, Severity.MEDIUM));
            return;
        }
        boolean keyed = lower.startsWith("omit")
                || lower.startsWith("exclude")
                || lower.startsWith("\"exclude\"")
                || lower.startsWith("'exclude'")
                || lower.startsWith("\"omit\"")
                || lower.startsWith("<exclude>")
                || lower.startsWith("excludes")
                || lower.startsWith("exclude_lines")
                || lower.startsWith("exclude_also")
                || lower.startsWith("classdirectories");
        boolean pathLike = lower.indexOf('/') >= 0 || lower.indexOf('*') >= 0 || lower.endsWith(".py");
        boolean listItem = pathLike
                && (lower.startsWith("\"")
                        || lower.startsWith("'")
                        || lower.startsWith("-")
                        || Character.isLetterOrDigit(lower.charAt(0)));
        if ((keyed || listItem) && aboutCoverage() && hunkMentionsExclusion()) {
            out.add(IntegrityScanner.finding(IntegrityRule.COVERAGE_WEAKENED, path, l, Severity.MEDIUM));
        }
    }

    /** After the file: lowered or dropped thresholds. */
    void finish() {
        if (removed.isEmpty()) {
            return;
        }
        for (Setting r : removed) {
            Setting replacement = null;
            for (Setting a : added) {
                if (a.key().equals(r.key())) {
                    replacement = a;
                    break;
                }
            }
            if (replacement == null) {
                out.add(new Finding(
                        IntegrityRule.COVERAGE_WEAKENED,
                        path,
                        r.line().lineNo(),
                        Severity.MEDIUM,
                        "removed: " + r.text()));
            } else {
                added.remove(replacement);
                if (replacement.value() < r.value()) {
                    out.add(new Finding(
                            IntegrityRule.COVERAGE_WEAKENED,
                            path,
                            replacement.line().lineNo(),
                            Severity.HIGH,
                            r.text() + " -> " + replacement.text()));
                }
            }
        }
    }

    private void settings(Line l, String t, List<Setting> into) {
        String c = TestSyntax.compactLower(t);
        int keyIndex = -1;
        String key = null;
        for (String k : STRONG_KEYS) {
            int i = c.indexOf(k);
            if (i >= 0) {
                keyIndex = i;
                key = k;
                break;
            }
        }
        if (key == null) {
            for (String k : CONTEXT_KEYS) {
                int i = c.indexOf(k);
                if (i >= 0) {
                    keyIndex = i;
                    key = k;
                    break;
                }
            }
            if (key == null || !aboutCoverage()) {
                return;
            }
        }
        // Each number after the key, with the key text that precedes it since the last separator.
        int segmentStart = keyIndex;
        int i = keyIndex + key.length();
        int n = c.length();
        while (i < n) {
            char ch = c.charAt(i);
            if (ch >= '0' && ch <= '9' && !Character.isLetter(c.charAt(i - 1))) {
                int end = i;
                while (end < n && (Character.isDigit(c.charAt(end)) || c.charAt(end) == '.')) {
                    end++;
                }
                String label = c.substring(segmentStart, i);
                try {
                    into.add(new Setting(label, Double.parseDouble(trimDots(c.substring(i, end))), l, t));
                } catch (NumberFormatException e) {
                    // not a number after all (a version like 1.2.3): no setting
                }
                i = end;
                segmentStart = i;
                continue;
            }
            if (ch == ',' || ch == '{' || ch == ';') {
                segmentStart = i + 1;
            }
            i++;
        }
    }

    private static String trimDots(String v) {
        int e = v.length();
        while (e > 0 && v.charAt(e - 1) == '.') {
            e--;
        }
        return v.substring(0, e);
    }

    private boolean aboutCoverage() {
        if (coverageFile) {
            return true;
        }
        if (hunkAboutCoverage == null) {
            boolean about = false;
            if (hunk != null) {
                String section = hunk.section().toLowerCase(Locale.ROOT);
                about = section.contains("cover") || section.contains("jacoco");
                if (!about) {
                    for (Line l : hunk.lines()) {
                        String s = l.text();
                        if (s.contains("cover")
                                || s.contains("Cover")
                                || s.contains("COVER")
                                || s.contains("jacoco")
                                || s.contains("nyc")
                                || s.contains("istanbul")
                                || s.contains("c8")) {
                            about = true;
                            break;
                        }
                    }
                }
            }
            hunkAboutCoverage = about;
        }
        return hunkAboutCoverage;
    }

    private boolean hunkMentionsExclusion() {
        if (hunkMentionsExclusion == null) {
            boolean mentions = false;
            if (hunk != null) {
                for (Line l : hunk.lines()) {
                    String s = l.text();
                    if (s.contains("omit") || s.contains("exclude") || s.contains("Exclude") || s.contains("ignore")) {
                        mentions = true;
                        break;
                    }
                }
            }
            hunkMentionsExclusion = mentions;
        }
        return hunkMentionsExclusion;
    }

    private static boolean hasDigit(CharMask m) {
        return m.intersects(DIGITS);
    }
}
