package dev.loopline.core.guard.integrity;

import java.util.Objects;

/**
 * One integrity finding. {@code file} may be null only for whole-diff findings; {@code line} is the
 * new-side line number for added or context lines, the old-side number for removed lines, and 0 when
 * the finding concerns the whole file. Evidence is at most {@value #MAX_EVIDENCE} characters.
 */
public record Finding(IntegrityRule rule, String file, int line, Severity severity, String evidence) {

    public static final int MAX_EVIDENCE = 120;

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        evidence = clip(evidence == null ? "" : evidence.strip());
    }

    public String ruleId() {
        return rule.id();
    }

    private static String clip(String s) {
        if (s.length() <= MAX_EVIDENCE) {
            return s;
        }
        int cut = MAX_EVIDENCE - 1;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "\u2026";
    }
}
