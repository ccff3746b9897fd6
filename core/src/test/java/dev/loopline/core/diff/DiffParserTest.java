package dev.loopline.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiffParserTest {

    private static final String GIT_DIFF =
            """
            diff --git a/Old.java b/New.java
            similarity index 100%
            rename from Old.java
            rename to New.java
            diff --git a/bin.dat b/bin.dat
            index 467e186082b7a3d056d8223a3b1cdcaaf3d68e16..f60d06f7a6e39544c754b59c287abacff6c6ecde 100644
            GIT binary patch
            literal 100
            zcmV-q0Gt0h>OQSaKHve47J9{YX*oy$3&x}rLQjhT2&$V;c5A8t@4=ZcxiUywSO3H%
            G#y3ysmoMx9

            literal 100
            zcmV-q0Gt2yRi2|WuKJqYLNOJ5)DaZEn&W|tXm1nx#7zdUPT@ts;C#cs1uhf<274%5
            GXUb`jyD*ag

            diff --git "a/sp ace\\303\\251.txt" "b/sp ace\\303\\251.txt"
            old mode 100644
            new mode 100755
            diff --git a/x.txt b/x.txt
            index 422c2b7..5424d78 100644
            --- a/x.txt
            +++ b/x.txt
            @@ -1,2 +1,4 @@ section
             a
            -b
            +++counter;
            +--x
            +b
            \\ No newline at end of file
            """;

    @Test
    void parsesRenameBinaryModeChangeQuotedPathAndContentThatLooksLikeHeaders() throws Exception {
        Diff diff = DiffParser.parse(GIT_DIFF);

        assertThat(diff.files()).hasSize(4);
        FileChange rename = diff.files().get(0);
        assertThat(rename.type()).isEqualTo(ChangeType.RENAMED);
        assertThat(rename.oldPath()).isEqualTo("Old.java");
        assertThat(rename.newPath()).isEqualTo("New.java");
        assertThat(rename.hunks()).isEmpty();

        FileChange bin = diff.files().get(1);
        assertThat(bin.binary()).isTrue();
        assertThat(bin.type()).isEqualTo(ChangeType.MODIFIED);
        assertThat(bin.newMode()).isEqualTo("100644");

        FileChange mode = diff.files().get(2);
        assertThat(mode.path()).isEqualTo("sp ace\u00e9.txt");
        assertThat(mode.oldMode()).isEqualTo("100644");
        assertThat(mode.newMode()).isEqualTo("100755");
        assertThat(mode.modeChanged()).isTrue();

        FileChange text = diff.files().get(3);
        Hunk hunk = text.hunks().get(0);
        assertThat(hunk.section()).isEqualTo("section");
        assertThat(hunk.lines())
                .containsExactly(
                        new Line(Line.Kind.CONTEXT, "a", 1, 1),
                        new Line(Line.Kind.REMOVED, "b", 2, 0),
                        new Line(Line.Kind.ADDED, "++counter;", 0, 2),
                        new Line(Line.Kind.ADDED, "--x", 0, 3),
                        new Line(Line.Kind.ADDED, "b", 0, 4));
        assertThat(diff.addedLines()).isEqualTo(3);
        assertThat(diff.removedLines()).isEqualTo(1);
    }

    @Test
    void addedLineStartingWithPlusPlusSpaceIsContentNotAFileHeader() throws Exception {
        String diff =
                """
                diff --git a/A.java b/A.java
                --- a/A.java
                +++ b/A.java
                @@ -1 +1,3 @@
                 x
                +++ b/evil.txt
                +--- a/evil.txt
                """;
        Diff parsed = DiffParser.parse(diff);
        assertThat(parsed.files()).hasSize(1);
        assertThat(parsed.files().get(0).hunks().get(0).lines())
                .extracting(Line::text)
                .containsExactly("x", "++ b/evil.txt", "--- a/evil.txt");
    }

    @Test
    void parsesNewAndDeletedFilesWithDevNull() throws Exception {
        String diff =
                """
                diff --git a/src/New.java b/src/New.java
                new file mode 100644
                index 0000000..e69de29
                --- /dev/null
                +++ b/src/New.java
                @@ -0,0 +1,2 @@
                +class New {
                +}
                diff --git a/src/Gone.java b/src/Gone.java
                deleted file mode 100644
                index e69de29..0000000
                --- a/src/Gone.java
                +++ /dev/null
                @@ -1 +0,0 @@
                -class Gone {}
                """;
        Diff parsed = DiffParser.parse(diff);
        FileChange added = parsed.files().get(0);
        assertThat(added.type()).isEqualTo(ChangeType.ADDED);
        assertThat(added.oldPath()).isNull();
        assertThat(added.newPath()).isEqualTo("src/New.java");
        assertThat(added.newMode()).isEqualTo("100644");
        FileChange deleted = parsed.files().get(1);
        assertThat(deleted.type()).isEqualTo(ChangeType.DELETED);
        assertThat(deleted.newPath()).isNull();
        assertThat(deleted.path()).isEqualTo("src/Gone.java");
        assertThat(deleted.hunks().get(0).lines()).containsExactly(new Line(Line.Kind.REMOVED, "class Gone {}", 1, 0));
    }

    @Test
    void parsesCopyAndUnquotedPathsWithSpaces() throws Exception {
        String diff =
                """
                diff --git a/a b/c.txt b/a b/d.txt
                similarity index 90%
                copy from a b/c.txt
                copy to a b/d.txt
                diff --git a/my file.txt b/my file.txt
                old mode 100644
                new mode 100755
                """;
        Diff parsed = DiffParser.parse(diff);
        assertThat(parsed.files().get(0).type()).isEqualTo(ChangeType.COPIED);
        assertThat(parsed.files().get(0).paths()).containsExactly("a b/c.txt", "a b/d.txt");
        assertThat(parsed.files().get(1).path()).isEqualTo("my file.txt");
    }

    @Test
    void plainDiffBinaryLineBecomesABinaryFileChangeInsteadOfBeingSkipped() throws Exception {
        String diff =
                """
                --- a/lib/x.py	2024-01-01 10:00:00.000000000 +0000
                +++ b/lib/x.py	2024-01-02 10:00:00.000000000 +0000
                @@ -1 +1 @@
                -a
                +b
                Binary files a/tests/fixtures/img.png and b/tests/fixtures/img.png differ
                Binary files /dev/null and b/tests/new.bin differ
                """;
        Diff parsed = DiffParser.parse(diff);
        assertThat(parsed.files())
                .extracting(FileChange::path)
                .containsExactly(
                        "lib/x.py",
                        "tests/fixtures/img.png",
                        "b/tests/new.bin"); // as for text: a lone side keeps its prefix
        FileChange modified = parsed.files().get(1);
        assertThat(modified.binary()).isTrue();
        assertThat(modified.type()).isEqualTo(ChangeType.MODIFIED);
        assertThat(modified.oldPath()).isEqualTo("tests/fixtures/img.png");
        assertThat(modified.hunks()).isEmpty();
        FileChange added = parsed.files().get(2);
        assertThat(added.type()).isEqualTo(ChangeType.ADDED);
        assertThat(added.binary()).isTrue();
    }

    @Test
    void gitBinaryPatchWithDeltaBlocksKeepsTheNextFile() throws Exception {
        String diff = "diff --git a/t/x.bin b/t/x.bin\nindex 1111111..2222222 100644\nGIT binary patch\n"
                + "delta 12\nTcmZ?wbPP$TVK8CHV*mgE\n\ndelta 10\nRcmZ?wbPP$TVK6Wd0001A\n\n"
                + "diff --git a/y.txt b/y.txt\n--- a/y.txt\n+++ b/y.txt\n@@ -1 +1 @@\n-a\n+b\n";
        Diff parsed = DiffParser.parse(diff);
        assertThat(parsed.files())
                .extracting(FileChange::path, FileChange::binary)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t/x.bin", true),
                        org.assertj.core.groups.Tuple.tuple("y.txt", false));
    }

    @Test
    void parsesPlainDiffUnifiedOutputWithTimestamps() throws Exception {
        String diff =
                """
                diff -ruN a/lib/x.py b/lib/x.py
                --- a/lib/x.py\t2024-01-01 10:00:00.000000000 +0000
                +++ b/lib/x.py\t2024-01-02 10:00:00.000000000 +0000
                @@ -1,3 +1,3 @@
                 def f():
                -    return 1
                +    return 2

                Only in b: extra
                --- /dev/null\t1970-01-01 00:00:00.000000000 +0000
                +++ new.txt\t2024-01-02 10:00:00.000000000 +0000
                @@ -0,0 +1 @@
                +hello
                """;
        Diff parsed = DiffParser.parse(diff);
        assertThat(parsed.files()).extracting(FileChange::path).containsExactly("lib/x.py", "new.txt");
        assertThat(parsed.files().get(0).hunks().get(0).lines()).hasSize(4);
        assertThat(parsed.files().get(0).hunks().get(0).lines().get(3))
                .isEqualTo(new Line(Line.Kind.CONTEXT, "", 3, 3));
        assertThat(parsed.files().get(1).type()).isEqualTo(ChangeType.ADDED);
    }

    @Test
    void skipsFormatPatchPreambleAndSignature() throws Exception {
        String diff =
                """
                From 1234 Mon Sep 17 00:00:00 2001
                Subject: [PATCH] fix
                 - a bullet that looks like a hunk line
                ---
                 x.txt | 2 +-
                diff --git a/x.txt b/x.txt
                --- a/x.txt
                +++ b/x.txt
                @@ -1 +1 @@
                -a
                +b
                --\s
                2.39.5
                """;
        assertThat(DiffParser.parse(diff).files()).hasSize(1);
    }

    @Test
    void emptyInputIsAnEmptyDiff() throws Exception {
        assertThat(DiffParser.parse("").files()).isEmpty();
        assertThat(DiffParser.parse("\n  \n").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "just some prose\n",
                "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n",
                "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n",
                "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n*b\n",
                "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -x +1 @@\n",
                "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1\n-a\n+b\n",
                "diff --git a/x b/x\n--- a/x\nno plus line\n",
                "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,99999999999 @@\n",
                "@@ -1 +1 @@\n-a\n+b\n",
                "diff --cc x\nindex 1,2..3\n",
                "diff --git \"a/unterminated b/x\n",
                "diff --git a/x b/x\nGIT binary patch\nnot a literal\n",
                "diff --git a/x b/x\n--- /dev/null\n+++ /dev/null\n@@ -0,0 +0,0 @@\n",
            })
    void rejectsMalformedInputWithLineAndExpectation(String input) {
        assertThatThrownBy(() -> DiffParser.parse(input))
                .isInstanceOf(DiffParseException.class)
                .satisfies(e -> {
                    DiffParseException d = (DiffParseException) e;
                    assertThat(d.lineNumber()).isPositive();
                    assertThat(d.expected()).isNotBlank();
                });
    }

    @Test
    void reportsTheLineWhereAHunkIsTruncated() {
        String input = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n";
        assertThatThrownBy(() -> DiffParser.parse(input)).isInstanceOfSatisfying(DiffParseException.class, e -> {
            assertThat(e.lineNumber()).isEqualTo(7);
            assertThat(e.expected()).contains("more old");
        });
    }

    @Test
    void rejectsStrayHunkLinesBetweenFiles() {
        String input = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+smuggled\n";
        assertThatThrownBy(() -> DiffParser.parse(input))
                .isInstanceOfSatisfying(DiffParseException.class, e -> assertThat(e.lineNumber())
                        .isEqualTo(7));
    }

    @Test
    void multipleHunksKeepLineNumbers() throws Exception {
        String input =
                """
                --- a/f
                +++ b/f
                @@ -1,2 +1,2 @@
                -one
                +uno
                 two
                @@ -10 +10,2 @@
                 ten
                +ten-and-a-half
                """;
        List<Hunk> hunks = DiffParser.parse(input).files().get(0).hunks();
        assertThat(hunks).hasSize(2);
        assertThat(hunks.get(1).lines().get(1)).isEqualTo(new Line(Line.Kind.ADDED, "ten-and-a-half", 0, 11));
    }
}
