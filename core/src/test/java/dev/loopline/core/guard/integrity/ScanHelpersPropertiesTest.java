package dev.loopline.core.guard.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The scanner's shortcuts answer exactly as the plain String operations they replace. */
class ScanHelpersPropertiesTest {

    @Property(tries = 1000)
    void compactFormsEqualThePlainTransformations(@ForAll("text") String t) {
        StringBuilder plain = new StringBuilder();
        t.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(plain::appendCodePoint);
        assertThat(TestSyntax.compact(t)).isEqualTo(plain.toString());
        assertThat(TestSyntax.compactLower(t)).isEqualTo(plain.toString().toLowerCase(Locale.ROOT));
    }

    @Property(tries = 1000)
    void characterMaskNeverHidesAContainedLiteral(@ForAll("text") String t, @ForAll("literal") String literal) {
        CharMask.Literal lit = new CharMask.Literal(literal);
        assertThat(lit.in(t, CharMask.of(t))).isEqualTo(t.contains(literal));
        // The mask of a line also stands for its whitespace-free form.
        String compact = TestSyntax.compact(t);
        assertThat(CharMask.of(t).mayContain(lit) || !compact.contains(literal)).isTrue();
    }

    @Property(tries = 1000)
    void prefixTableAgreesWithStartsWith(@ForAll("text") String t, @ForAll("prefixes") List<String> prefixes) {
        PrefixTable table = new PrefixTable(prefixes.toArray(new String[0]));
        assertThat(table.anyPrefixOf(t)).isEqualTo(prefixes.stream().anyMatch(t::startsWith));
    }

    @Property(tries = 500)
    void textCountsBehaveAsACountingMap(@ForAll("ops") List<String> ops) {
        TextCounts counts = new TextCounts(ops.size());
        Map<String, Integer> model = new HashMap<>();
        for (String op : ops) {
            String key = op.substring(1);
            if (op.charAt(0) == '+') {
                counts.add(key);
                model.merge(key, 1, Integer::sum);
            } else {
                Integer n = model.get(key);
                boolean expected = !key.isEmpty() && n != null && n > 0;
                if (expected) {
                    model.put(key, n - 1);
                }
                assertThat(counts.consume(key)).isEqualTo(expected);
            }
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .withChars("aAzZ@.(=:!\"_- \t\u00a0\u2003İé\u212A")
                        .ofMaxLength(30),
                Arbitraries.strings().ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> literal() {
        return Arbitraries.strings().withChars("aAzZ@.(=:!\"_-é").ofMinLength(1).ofMaxLength(4);
    }

    @Provide
    Arbitrary<List<String>> prefixes() {
        return Arbitraries.strings()
                .withChars("aAzZ@.(=:!_-")
                .ofMinLength(1)
                .ofMaxLength(4)
                .list()
                .ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<String>> ops() {
        Arbitrary<String> key = Arbitraries.of("", "a", "b", "assert x", "  ", "é");
        return Arbitraries.of("+", "-")
                .flatMap(sign -> key.map(k -> sign + k))
                .list()
                .ofMaxSize(40);
    }
}
