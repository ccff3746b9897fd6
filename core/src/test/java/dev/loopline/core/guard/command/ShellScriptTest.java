package dev.loopline.core.guard.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellScriptTest {

    @Test
    void listsEachSimpleCommandWithItsWordsAfterQuoteRemoval() {
        List<ShellScript.Command> commands = ShellScript.commands("FOO=1 npm test -- 'a b' && echo \"$HOME\"");

        assertThat(commands)
                .extracting(ShellScript.Command::words)
                .containsExactly(List.of("npm", "test", "--", "a b"), List.of("echo", "$HOME"));
        assertThat(commands.get(1).expanded()).containsExactly(false, true);
        assertThat(commands).allSatisfy(c -> assertThat(c.writes()).isEmpty());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "echo hi > out.txt                | out.txt",
                "echo hi >> /etc/profile          | /etc/profile",
                "make 2>&1 &> build.log           | build.log",
                "cat <> dev.lock                  | dev.lock",
                "> empty.txt                      | empty.txt",
                "( echo a; echo b ) > both.txt    | both.txt",
            })
    void redirectionsThatWriteAFileAreListedAsWrites(String script, String target) {
        assertThat(ShellScript.commands(script))
                .flatExtracting(ShellScript.Command::writes)
                .containsExactly(target);
    }

    @Test
    void readsAndDescriptorDuplicationsAreNotWrites() {
        assertThat(ShellScript.commands("sort < in.txt 2>&1 >&2 | tee -a x"))
                .allSatisfy(c -> assertThat(c.writes()).isEmpty());
    }

    @Test
    void aWriteTargetWithAnExpansionIsFlagged() {
        ShellScript.Command command =
                ShellScript.commands("echo x > \"$HOME/.bashrc\"").get(0);

        assertThat(command.writes()).containsExactly("$HOME/.bashrc");
        assertThat(command.writesExpanded()).containsExactly(true);
    }

    @Test
    void textThatIsNotAScriptIsRefused() {
        assertThatThrownBy(() -> ShellScript.commands("echo 'unterminated"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
