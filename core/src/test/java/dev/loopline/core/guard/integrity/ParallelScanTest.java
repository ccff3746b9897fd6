package dev.loopline.core.guard.integrity;

import static dev.loopline.core.guard.integrity.Diffs.add;
import static dev.loopline.core.guard.integrity.Diffs.modify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopline.core.diff.Diff;
import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.diff.FileChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A large diff is scanned in parts on several threads; the findings must be exactly those of a scan on one thread,
 * in the same order, including answers hard-coded in one part for a test that sits in another.
 */
class ParallelScanTest {

    /** Plain product code: enough lines that the diff is split, no finding of its own. */
    private static String filler(int n, int lines) {
        String[] body = new String[lines];
        for (int i = 0; i < lines; i++) {
            body[i] = "value_" + i + " = compute(" + i + ", factor=" + (i % 7) + ")";
        }
        return add("src/gen/module_" + n + ".py", body);
    }

    private static String largeDiff() {
        StringBuilder d = new StringBuilder();
        // The special case comes first and the test it games last: they land in different parts.
        d.append(modify("src/fib.py", " def fib(n):", "+    if n == 7:", "+        return 13"));
        List<String> attacks = RewardHackFamiliesTest.attacks()
                .map(Arguments::get)
                .map(a -> (String) a[1])
                .toList();
        int n = 0;
        for (String attack : attacks) {
            d.append(filler(n++, 400));
            d.append(attack);
        }
        d.append(filler(n, 400));
        d.append(add("tests/test_fib.py", "def test_fib():", "    assert fib(7) == 13"));
        return d.toString();
    }

    @Test
    void findingsOnSeveralThreadsAreThoseOfOneThreadInTheSameOrder() throws Exception {
        Diff diff = DiffParser.parse(largeDiff());
        assertThat(ScanParts.split(diff.files(), 4)).hasSizeGreaterThan(4);

        List<Finding> one = new IntegrityScanner(1).scan(diff);
        List<Finding> four = new IntegrityScanner(4).scan(diff);

        assertThat(four).isEqualTo(one);
        assertThat(one).extracting(Finding::ruleId).contains("hardcoded-test-answer", "test-report-rewritten");
        assertThat(one)
                .filteredOn(f -> f.ruleId().equals("hardcoded-test-answer"))
                .extracting(Finding::file)
                .contains("src/fib.py");
    }

    @Test
    void smallDiffsAndSingleThreadsStayInOnePart() throws Exception {
        Diff small = DiffParser.parse(filler(0, 100) + filler(1, 100));
        assertThat(ScanParts.split(small.files(), 8)).hasSize(1);

        Diff large = DiffParser.parse(largeDiff());
        assertThat(ScanParts.split(large.files(), 1)).hasSize(1);
    }

    @Test
    void partsHoldEveryFileOnceInDiffOrder() throws Exception {
        Diff diff = DiffParser.parse(largeDiff());
        List<List<FileChange>> parts = ScanParts.split(diff.files(), 2);

        List<FileChange> joined = new ArrayList<>();
        parts.forEach(joined::addAll);
        assertThat(joined).isEqualTo(diff.files());
        assertThat(parts).allSatisfy(p -> assertThat(p).isNotEmpty());
    }

    @Test
    void aScannerNeedsAtLeastOneThread() {
        assertThatThrownBy(() -> new IntegrityScanner(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
