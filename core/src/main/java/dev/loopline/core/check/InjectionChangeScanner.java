package dev.loopline.core.check;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.DiffParseException;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.diff.FileChange;
import dev.loopline.core.diff.Hunk;
import dev.loopline.core.diff.Line;
import dev.loopline.core.guard.injection.InjectionScanner;
import dev.loopline.core.guard.injection.ScanResult;
import dev.loopline.core.guard.injection.Severity;
import dev.loopline.core.guard.injection.Signal;
import dev.loopline.schemas.events.ChangeProposed;
import dev.loopline.schemas.events.Finding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The prompt-injection check on the untrusted text of a proposal: the spec's {@code task} and the lines the
 * diff adds (per file, concatenated, so a payload split over lines is still seen). Text rated {@code high} —
 * by one strong signal or by several kinds of manipulation together — escalates; {@code medium} signals are
 * reported without changing the verdict; {@code low} signals are not reported (ordinary prose trips them).
 * Findings are named {@code injection-<category>}. A diff that cannot be parsed cannot be scanned: the
 * scanner throws, and the verdict escalates (fail closed).
 */
public class InjectionChangeScanner implements ChangeScanner {

    public static final String NAME = "injection";
    static final String RULE_PREFIX = "injection-";

    private final InjectionScanner scanner = InjectionScanner.defaults();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Finding> scan(ChangeProposed proposal, Path checkout) {
        Set<Finding> findings = new LinkedHashSet<>();
        String task = proposal.spec() == null ? null : proposal.spec().task();
        if (task != null && !task.isBlank()) {
            findings.addAll(findings(scanner.scan(task), "the task", null, null));
        }
        Diff diff;
        try {
            diff = DiffParser.parse(proposal.diff() == null ? "" : proposal.diff());
        } catch (DiffParseException e) {
            throw new IllegalStateException(
                    "the diff cannot be parsed, so its added lines cannot be scanned: " + e.getMessage());
        }
        for (FileChange file : diff.files()) {
            AddedText added = AddedText.of(file);
            if (!added.text().isEmpty()) {
                findings.addAll(findings(scanner.scan(added.text()), "lines added to " + file.path(), file, added));
            }
        }
        return List.copyOf(findings);
    }

    private static List<Finding> findings(ScanResult result, String where, FileChange file, AddedText added) {
        if (!result.severity().atLeast(Severity.MEDIUM)) {
            return List.of();
        }
        boolean combined = result.severity() == Severity.HIGH
                && result.signals().stream().noneMatch(s -> s.severity() == Severity.HIGH);
        List<Finding> out = new ArrayList<>();
        for (Signal signal : result.signals()) {
            Severity severity = combined ? Severity.HIGH : signal.severity();
            if (!severity.atLeast(Severity.MEDIUM)) {
                continue;
            }
            String message = "possible prompt injection (" + signal.category().id() + ") in " + where
                    + (signal.encoded() ? ", hidden as " + encodingName(signal) : "")
                    + (combined ? "; several kinds of manipulation in one text" : "");
            out.add(new Finding(
                    RULE_PREFIX + signal.category().id(),
                    severity == Severity.HIGH ? Finding.Severity.HIGH : Finding.Severity.MEDIUM,
                    message,
                    file == null ? null : file.path(),
                    added == null ? null : added.lineAt(signal.offset()),
                    signal.evidence()));
        }
        return out;
    }

    static String encodingName(Signal signal) {
        return signal.encoding().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The added lines of one file joined by newlines, with the new-side line number of each. */
    static final class AddedText {
        private final String text;
        private final int[] starts;
        private final int[] lineNumbers;

        private AddedText(String text, int[] starts, int[] lineNumbers) {
            this.text = text;
            this.starts = starts;
            this.lineNumbers = lineNumbers;
        }

        String text() {
            return text;
        }

        static AddedText of(FileChange file) {
            StringBuilder text = new StringBuilder();
            List<int[]> lines = new ArrayList<>();
            for (Hunk hunk : file.hunks()) {
                for (Line line : hunk.lines()) {
                    if (line.kind() == Line.Kind.ADDED) {
                        lines.add(new int[] {text.length(), line.newLineNo()});
                        text.append(line.text()).append('\n');
                    }
                }
            }
            int[] starts = lines.stream().mapToInt(l -> l[0]).toArray();
            int[] numbers = lines.stream().mapToInt(l -> l[1]).toArray();
            return new AddedText(text.toString(), starts, numbers);
        }

        /** The new-side line number of the added line holding {@code offset}, or null when unknown. */
        Integer lineAt(int offset) {
            if (starts.length == 0 || offset < 0) {
                return null;
            }
            int i = Arrays.binarySearch(starts, offset);
            int index = i >= 0 ? i : -i - 2;
            int number = lineNumbers[Math.max(0, index)];
            return number > 0 ? number : null;
        }
    }
}
