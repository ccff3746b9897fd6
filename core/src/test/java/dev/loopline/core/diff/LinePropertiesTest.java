package dev.loopline.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Parsed lines (offsets into the diff text) behave as lines built from their text. */
class LinePropertiesTest {

    @Property(tries = 500)
    void parsedLinesEqualLinesBuiltFromText(@ForAll("texts") List<String> texts) throws DiffParseException {
        StringBuilder sb = new StringBuilder("--- a/f\n+++ b/f\n@@ -0,0 +1,")
                .append(texts.size())
                .append(" @@\n");
        for (String t : texts) {
            sb.append('+').append(t).append('\n');
        }
        List<Line> lines =
                DiffParser.parse(sb.toString()).files().get(0).hunks().get(0).lines();
        assertThat(lines).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Line parsed = lines.get(i);
            Line built = new Line(Line.Kind.ADDED, texts.get(i), 0, i + 1);
            assertThat(parsed.strippedText()).isEqualTo(texts.get(i).strip());
            assertThat(parsed).isEqualTo(built).hasSameHashCodeAs(built);
            assertThat(parsed.toString()).isEqualTo(built.toString());
            assertThat(parsed.strippedText()).isEqualTo(built.strippedText());
        }
    }

    @Provide
    Arbitrary<List<String>> texts() {
        return Arbitraries.strings()
                .withChars("ab \t\u000B\f\u2003\u00a0é\uD83D\uDE00")
                .ofMaxLength(12)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }
}
