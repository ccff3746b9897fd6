package dev.loopline.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The glob matcher against the original regex translation ({@link RegexGlobOracle}) on random input. */
class GlobMatcherPropertiesTest {

    @Property(tries = 3000)
    void matchesExactlyAsTheRegexDid(
            @ForAll("globs") String glob, @ForAll("paths") String path, @ForAll boolean caseInsensitive) {
        assertThat(Glob.compile(glob, caseInsensitive).matches(path))
                .as("%s ~ %s (ci=%s)", glob, path, caseInsensitive)
                .isEqualTo(RegexGlobOracle.matches(glob, caseInsensitive, path));
    }

    @net.jqwik.api.Example
    void aCaseSensitiveNegatedClassInACaseInsensitiveSetMatchesOnlyWhereTheSetDoes() {
        // found by the property below: [!a] takes 'A' on its own, the set's case-insensitive [^a] does not
        GlobSet set =
                new GlobSet(List.of(Glob.compile("a", true), Glob.compile("[!a]a", false)), List.of("g0", "g1"), true);

        assertThat(set.firstMatch("Aa")).isEqualTo(-1);
        assertThat(set.firstMatch("Ba")).isEqualTo(1);
        assertThat(set.firstMatch("A")).isEqualTo(0);
    }

    @Property(tries = 500)
    void globSetFindsTheSameFirstMatchAsTheRegexAlternation(
            @ForAll("globLists") List<String> globs,
            @ForAll("paths") String path,
            @ForAll boolean setCaseInsensitive,
            @ForAll boolean globsCaseInsensitive) {
        List<Glob> compiled = new ArrayList<>();
        List<Boolean> flags = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < globs.size(); i++) {
            // As in AllowlistPolicy: glob rules may be stricter than the set, never looser.
            boolean ci = setCaseInsensitive && (globsCaseInsensitive || i % 2 == 0);
            compiled.add(Glob.compile(globs.get(i), ci));
            flags.add(ci);
            labels.add("g" + i);
        }
        String p = Glob.normalize(path);
        assertThat(new GlobSet(compiled, labels, setCaseInsensitive).firstMatch(p))
                .as("%s ~ %s", globs, p)
                .isEqualTo(RegexGlobOracle.firstMatch(globs, flags, setCaseInsensitive, p));
    }

    @Provide
    Arbitrary<String> globs() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("a", "b", "A", "B", ".", "_", "-", "x", "1")),
                net.jqwik.api.Tuple.of(4, Arbitraries.of("/", "*", "**", "**/", "?")),
                net.jqwik.api.Tuple.of(
                        2, Arbitraries.of("[ab]", "[!a]", "[^b]", "[a-c]", "[A-b]", "[0-9]", "[a_.]", "[", "]")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("{a,b}", "\\*", ",", "}", "é", "./", "[a-]")));
        return piece.list()
                .ofMinSize(1)
                .ofMaxSize(10)
                .map(ps -> String.join("", ps))
                .filter(g -> !g.isBlank() && compiles(g));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("a", "b", "A", "B", "x", "1", ".", "_", "-", "ab")),
                net.jqwik.api.Tuple.of(4, Arbitraries.of("/")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("é", "\u212A", "\u0130", "[", "*", ",", "./", "\n")));
        return piece.list().ofMaxSize(12).map(ps -> String.join("", ps));
    }

    @Provide
    Arbitrary<List<String>> globLists() {
        return globs().list().ofMinSize(0).ofMaxSize(6);
    }

    private static boolean compiles(String glob) {
        try {
            RegexGlobOracle.compile(glob, false);
            Glob.compile(glob, false);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
