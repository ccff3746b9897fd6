package dev.loopline.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DiffParserPropertiesTest {

    @Property(tries = 2000)
    void arbitraryTextParsesOrFailsWithDiffParseExceptionOnly(@ForAll("diffish") String input) {
        try {
            Diff diff = DiffParser.parse(input);
            assertThat(diff.files()).doesNotContainNull();
        } catch (DiffParseException e) {
            assertThat(e.lineNumber()).isPositive();
            assertThat(e.expected())
                    .as("no internal error behind the safety net")
                    .doesNotStartWith("well-formed diff input (");
        }
    }

    @Property(tries = 1000)
    void fullyRandomUnicodeNeverEscapesAsUncheckedException(@ForAll String input) {
        try {
            DiffParser.parse(input);
        } catch (DiffParseException e) {
            assertThat(e.expected()).doesNotStartWith("well-formed diff input (");
        }
    }

    @Property(tries = 500)
    void wellFormedHunksRoundTripTheirCounts(@ForAll("hunkLines") java.util.List<String> body)
            throws DiffParseException {
        int old = 0;
        int neu = 0;
        StringBuilder sb = new StringBuilder();
        for (String l : body) {
            char c = l.charAt(0);
            if (c != '+') {
                old++;
            }
            if (c != '-') {
                neu++;
            }
            sb.append(l).append('\n');
        }
        String text = "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1," + old + " +1," + neu + " @@\n" + sb;
        Diff diff = DiffParser.parse(text);
        assertThat(diff.removedLines())
                .isEqualTo(body.stream().filter(l -> l.charAt(0) == '-').count());
        assertThat(diff.addedLines())
                .isEqualTo(body.stream().filter(l -> l.charAt(0) == '+').count());
    }

    @Provide
    Arbitrary<java.util.List<String>> hunkLines() {
        Arbitrary<String> marker = Arbitraries.of("+", "-", " ");
        Arbitrary<String> text =
                Arbitraries.of("", "x", "++ b/y", "-- a/y", "@@ -1 +1 @@", "diff --git a/q b/q", "\\t");
        return net.jqwik.api.Combinators.combine(marker, text)
                .as((m, t) -> m + t)
                .list()
                .ofMinSize(1)
                .ofMaxSize(20);
    }

    @Provide
    Arbitrary<String> diffish() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.of(
                        "diff --git a/x b/x",
                        "diff --git \"a/q\\303\" \"b/q\"",
                        "diff --git \"a/bad\\q\" b/x",
                        "--- a/x",
                        "+++ b/x",
                        "--- /dev/null",
                        "+++ /dev/null",
                        "@@ -1 +1 @@",
                        "@@ -1,2 +1,2 @@ s",
                        "@@ -0,0 +1 @@",
                        "@@ -2147483647,2147483647 +1 @@",
                        "@@ -",
                        "@@ -1,",
                        "rename from x",
                        "rename to y",
                        "copy from",
                        "new file mode 100644",
                        "deleted file mode 100644",
                        "index 1..2 100644",
                        "index ",
                        "GIT binary patch",
                        "literal 3",
                        "Binary files a/x and b/x differ",
                        "\\ No newline at end of file",
                        "-- ",
                        "",
                        "+",
                        "-",
                        " "),
                Arbitraries.strings().ofMaxLength(12).map(t -> "+" + t),
                Arbitraries.strings().ofMaxLength(12));
        return line.list().ofMaxSize(30).map(ls -> String.join("\n", ls));
    }
}
