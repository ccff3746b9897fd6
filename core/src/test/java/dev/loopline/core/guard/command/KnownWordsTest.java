package dev.loopline.core.guard.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The lexer hands out shared words for the names the rules know ({@link KnownWords}) and lazily cut slices for other
 * plain words: either must be indistinguishable, to every rule, from a word built from its text.
 */
class KnownWordsTest {

    @Provide
    Arbitrary<String> plainWords() {
        List<String> known = new ArrayList<>();
        known.addAll(CommandAnalyzer.SHELLS);
        known.addAll(CommandAnalyzer.INTERPRETERS);
        known.addAll(CommandAnalyzer.DOWNLOADERS);
        known.addAll(DiskTools.NAMES);
        known.addAll(Exfiltration.READERS);
        known.addAll(List.of("git", "rm", "sudo", "env", "xargs", "push", "-f", "-rf", "--force", "/", "~", "if"));
        Arbitrary<String> random = Arbitraries.strings()
                .withChars("abcdefgimnoprstuxyz0123456789-_./=+~:@%,")
                .ofMinLength(1)
                .ofMaxLength(12);
        return Arbitraries.oneOf(Arbitraries.of(known), random, random.map(s -> "/usr/bin/" + s));
    }

    @Property(tries = 1000)
    void aLexedPlainWordBehavesAsAWordBuiltFromItsText(@ForAll("plainWords") String text) throws ParseException {
        // as an argument, so reserved words and assignments are lexed as plain words too
        List<SimpleCommand> parsed = ShellParser.parse("cmd " + text + " " + text);
        Word fresh = Word.literal(text);

        for (Word lexed : parsed.get(0).words.subList(1, 3)) {
            assertThat(lexed).isEqualTo(fresh);
            assertThat(lexed.text()).isEqualTo(text);
            assertThat(lexed.commandName()).isEqualTo(fresh.commandName());
            assertThat(lexed.kind()).isEqualTo(CommandKinds.of(fresh.commandName()));
            assertThat(lexed.isAssignment()).isEqualTo(fresh.isAssignment());
            assertThat(lexed.hashCode()).isEqualTo(fresh.hashCode());
        }
    }
}
