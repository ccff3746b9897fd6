package dev.loopline.core.guard.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopline.core.diff.DiffParser;
import dev.loopline.core.diff.FileChange;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The literal tokenizer behind expectation edits and hard-coded answers, and the binary-file contract. */
class LiteralsPropertiesTest {

    @Property(tries = 500)
    void linesThatDifferOnlyInLiteralValuesShareASkeleton(
            @ForAll("code") String prefix,
            @ForAll int a,
            @ForAll int b,
            @ForAll("word") String s,
            @ForAll("word") String u) {
        String before = prefix + "(" + a + ", \"" + s + "\");";
        String after = prefix + "(" + b + ", \"" + u + "\");";
        assertThat(Literals.skeleton(before)).isEqualTo(Literals.skeleton(after));
        assertThat(Literals.hasLiteral(Literals.skeleton(before))).isTrue();
    }

    @Property(tries = 500)
    void anIdentifierChangeChangesTheSkeleton(@ForAll("word") String name, @ForAll int a) {
        String before = "assertEquals(" + a + ", total" + name + "())";
        String after = "assertEquals(" + a + ", price" + name + "())";
        assertThat(Literals.skeleton(before)).isNotEqualTo(Literals.skeleton(after));
    }

    @Property(tries = 500)
    void collectFindsExactlyTheWantedLiteralsThatValuesReports(
            @ForAll("code") String prefix, @ForAll int a, @ForAll("word") String s, @ForAll("word") String other) {
        String line = prefix + "(" + a + ", '" + s + "')";
        Set<String> wanted = Set.of(String.valueOf(a), s, other + "#");
        long lengths = 0;
        for (String w : wanted) {
            lengths |= 1L << Math.min(63, w.length());
        }
        Set<String> found = new HashSet<>();
        Literals.collect(line, wanted, lengths, found);
        Set<String> expected = new HashSet<>(Literals.values(line));
        expected.retainAll(wanted);
        assertThat(found).isEqualTo(expected).contains(String.valueOf(a), s);
    }

    @Property(tries = 300)
    void aBinaryChangeIsAlwaysReportedWithItsPath(@ForAll("path") String path, @ForAll boolean gitHeader)
            throws Exception {
        String diff = gitHeader
                ? "diff --git a/" + path + " b/" + path + "\nindex 1111111..2222222 100644\nBinary files a/" + path
                        + " and b/" + path + " differ\n"
                : "Binary files a/" + path + " and b/" + path + " differ\n";
        List<FileChange> files = DiffParser.parse(diff).files();
        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.binary()).isTrue();
            assertThat(f.path()).isEqualTo(path);
        });
        assertThat(new IntegrityScanner().scan(diff)).anySatisfy(f -> {
            assertThat(f.ruleId()).isEqualTo("binary-unscanned");
            assertThat(f.file()).isEqualTo(path);
        });
    }

    @Provide
    Arbitrary<String> code() {
        return Arbitraries.of("assertEquals", "expect(f", "assert add", "t.Errorf", "self.assertEqual(fmt");
    }

    @Provide
    Arbitrary<String> word() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> path() {
        Arbitrary<String> segment =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> ext = Arbitraries.of("png", "py", "snap", "bin", "jar", "golden");
        return segment.list().ofMinSize(1).ofMaxSize(3).flatMap(dirs -> ext.map(e -> String.join("/", dirs) + "." + e));
    }
}
