package dev.loopline.cli;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.guard.integrity.Finding;
import dev.loopline.core.guard.integrity.IntegrityScanner;
import java.util.List;

/** A unified diff given to {@code scan-diff} or {@code check-allowlist}. */
final class Diffs {

    private static final IntegrityScanner SCANNER = new IntegrityScanner();

    private Diffs() {}

    /**
     * The parsed diff, or null when the parser refuses it (the integrity scan then reports one HIGH
     * {@code unparseable-diff}). Text without a single file header is not a diff at all; the parser would call
     * it empty, so it is a usage error rather than a clean result.
     */
    static Diff parse(String text, String source) {
        Diff diff;
        try {
            diff = DiffParser.parse(text);
        } catch (DiffParseException e) {
            return null;
        }
        if (diff.files().isEmpty()) {
            throw new UsageException(
                    source + " holds no file changes; expected the output of 'git diff' or" + " 'diff -u'");
        }
        return diff;
    }

    static List<Finding> scan(Diff diff, String text) {
        return diff != null ? SCANNER.scan(diff) : SCANNER.scan(text);
    }
}
