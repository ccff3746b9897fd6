package dev.loopline.core.guard.injection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The automaton (character classes, dense rows only for ASCII-reached nodes) against a naive search. */
class KeywordMatcherPropertiesTest {

    @Provide
    Arbitrary<String> mixed() {
        // few letters so keywords overlap and share prefixes; ASCII and non-ASCII mixed inside keywords
        return Arbitraries.strings().withChars("ab c:忽略ключ~").ofMinLength(1).ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("ab c:忽略ключ~xé\n").ofMaxLength(200);
    }

    @Property(tries = 500)
    void findsExactlyTheOccurrencesANaiveSearchFinds(
            @ForAll("text") String text, @ForAll("keywords") List<String> keywords) {
        KeywordMatcher matcher = new KeywordMatcher(keywords);
        List<String> found = new ArrayList<>();
        char[] chars = text.toCharArray();
        matcher.scan(chars, chars.length, (k, end) -> found.add(k + "@" + end));
        List<String> expected = new ArrayList<>();
        for (int end = 1; end <= text.length(); end++) {
            for (int k = 0; k < keywords.size(); k++) {
                String w = keywords.get(k);
                if (end >= w.length() && text.startsWith(w, end - w.length())) {
                    expected.add(k + "@" + end);
                }
            }
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Provide
    Arbitrary<List<String>> keywords() {
        return mixed().list().ofMinSize(1).ofMaxSize(12);
    }

    private static final List<String> WORDS = lexiconWords();
    private static final KeywordMatcher STANDARD = new KeywordMatcher(WORDS);

    private static List<String> lexiconWords() {
        List<String> words = new ArrayList<>();
        for (Lexicon.Entry e : Lexicon.standard().entries()) {
            words.add(e.folded());
        }
        return words;
    }

    @Property(tries = 200)
    void theStandardLexiconMatchesLikeANaiveSearch(@ForAll("lexiconText") String text) {
        List<String> words = WORDS;
        KeywordMatcher matcher = STANDARD;
        int[] count = new int[1];
        char[] chars = text.toCharArray();
        matcher.scan(chars, chars.length, (k, end) -> count[0]++);
        int expected = 0;
        for (String w : words) {
            for (int at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
                expected++;
            }
        }
        assertThat(count[0]).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> lexiconText() {
        return Arbitraries.oneOf(Arbitraries.of(WORDS), Arbitraries.strings().ofMaxLength(4))
                .list()
                .ofMaxSize(30)
                .map(parts -> String.join(" ", parts));
    }
}
