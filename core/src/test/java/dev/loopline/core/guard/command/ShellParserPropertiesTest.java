package dev.loopline.core.guard.command;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

class ShellParserPropertiesTest {
    private final CommandGuard guard = CommandGuard.defaults();

    @Provide
    Arbitrary<String> shellish() {
        return Arbitraries.strings()
                .withChars("abcrmfgit -;&|()<>{}$`'\"\\\n#=*~/.!:+0129")
                .ofMinLength(0)
                .ofMaxLength(80);
    }

    @Provide
    Arbitrary<String> fragments() {
        return Arbitraries.of(
                        "git", "push", "-f", "rm", "-rf", "/", "sudo", "sh", "-c", "'", "\"", "$(", ")", "`", "(", "{",
                        "}", ";", "&&", "||", "|", "&", ">", ">>", "2>&1", "<<EOF", "\n", "EOF", "\\", "$'", "xargs",
                        "find", "-exec", "\\;", "eval", "env", "FOO=1", ".env", "<(", "curl", "bash", "if", "then",
                        "fi", "case", "esac", ";;", "for", "do", "done", "[[", "]]", "((", "))", "${", "#")
                .list()
                .ofMaxSize(25)
                .map(parts -> String.join(" ", parts));
    }

    @Property(tries = 2000)
    void neverThrowsOnArbitraryShellMetacharacters(@ForAll("shellish") String input) {
        Decision d = guard.check(input);
        assertThat(d).isNotNull();
    }

    @Property(tries = 2000)
    void neverThrowsOnRandomTokenSoup(@ForAll("fragments") String input) {
        assertThat(guard.check(input)).isNotNull();
    }

    @Property(tries = 1000)
    void neverThrowsOnArbitraryUnicode(@ForAll @StringLength(max = 200) String input) {
        assertThat(guard.check(input)).isNotNull();
    }

    @Property(tries = 3000)
    void neverAllowsWhatItFailedToParse(@ForAll("fragments") String input) {
        boolean parses;
        try {
            ShellParser.parse(input);
            parses = true;
        } catch (ParseException e) {
            parses = false;
        }
        Decision d = guard.check(input);
        if (!parses) {
            assertThat(d).isInstanceOf(Decision.Block.class);
            assertThat(((Decision.Block) d).ruleId()).isEqualTo("unparseable");
        } else if (d instanceof Decision.Block b) {
            assertThat(b.ruleId()).isNotBlank();
        }
    }

    @Property(tries = 500)
    void quotedDataIsNeverACommand(@ForAll("fragments") String payload) {
        String quoted = "'" + payload.replace("'", "'\\''") + "'";
        assertThat(guard.check("git commit -m " + quoted)).isEqualTo(Decision.allow());
        assertThat(guard.check("echo " + quoted + " >> docs/notes.md")).isEqualTo(Decision.allow());
    }
}
