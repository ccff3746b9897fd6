package dev.loopline.core.triage;

import dev.loopline.schemas.events.TriageReport.Bucket;
import java.util.List;
import java.util.Locale;

/**
 * Strive's git-commit-triage priorities. {@code noise}: merge commits and formatting/lint commits ({@code Merge …},
 * {@code rustfmt}, {@code clippy}, {@code chore(fmt)}, {@code style:}). {@code high}: a word of the subject that is
 * or starts with {@code fix}, {@code hotfix}, {@code bug}, {@code security}, {@code vuln}, {@code cve}, {@code
 * revert} or {@code incident} ({@code fixes}, {@code bugfix}, {@code CVE-2026-1}, {@code Revert "…"}); words, not
 * substrings, so {@code prefix} and {@code debug} stay {@code watch}. Everything else: {@code watch}. Noise wins over
 * high: a merge of a fix branch is still a merge (the fix itself is its own commit).
 */
public final class CommitBuckets {

    private static final List<String> NOISE_PREFIXES =
            List.of("merge ", "merge:", "rustfmt", "clippy", "chore(fmt)", "chore(format)", "style:", "style(");

    private static final List<String> HIGH_STEMS =
            List.of("fix", "hotfix", "bug", "security", "vuln", "cve", "revert", "incident");

    private CommitBuckets() {}

    public static Bucket bucket(Commit commit) {
        if (commit.isMerge()) {
            return Bucket.NOISE;
        }
        return bucket(commit.subject());
    }

    /** The bucket of a subject line alone (a commit with one parent). */
    public static Bucket bucket(String subject) {
        String s = subject.strip().toLowerCase(Locale.ROOT);
        for (String prefix : NOISE_PREFIXES) {
            if (s.startsWith(prefix)) {
                return Bucket.NOISE;
            }
        }
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            }
            if (i > start && isHighWord(s, start, i)) {
                return Bucket.HIGH;
            }
        }
        return Bucket.WATCH;
    }

    private static boolean isHighWord(String s, int start, int end) {
        for (String stem : HIGH_STEMS) {
            if (end - start >= stem.length() && s.startsWith(stem, start)) {
                return true;
            }
        }
        return false;
    }
}
