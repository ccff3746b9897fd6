package dev.loopline.makers.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWritesTest {

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            value = {
                "npm test => ''",
                "echo hi > out.txt => out.txt",
                "make 2>&1 | tee -a build.log => build.log",
                "cp -r src /tmp/copy => /tmp/copy",
                "cp -t /srv/www a.html b.html => /srv/www",
                "mv a.txt b.txt => a.txt b.txt",
                "chmod 755 bin/run => bin/run",
                "touch a b && mkdir -p c/d => a b c/d",
                "dd if=/dev/zero of=disk.img bs=1M count=1 => disk.img",
                "sed -i s/a/b/ src/x.js => src/x.js",
                "sed -e s/a/b/ -i.bak src/x.js => src/x.js",
                "sed s/a/b/ src/x.js => ''",
                "sudo -u root tee /etc/hosts => /etc/hosts",
                "timeout 5 cp a /opt/b => /opt/b",
                "bash -c 'echo x > /etc/motd' => /etc/motd",
                "eval 'rm -f /var/log/x' => /var/log/x",
                "echo x > /dev/null 2> /dev/stderr => ''",
            })
    void readsTheFilesACommandWrites(String command, String targets) {
        List<String> expected = targets.isEmpty() ? List.of() : List.of(targets.split(" "));

        assertThat(ShellWrites.of(command))
                .allSatisfy(t -> assertThat(t.unknown()).isFalse())
                .extracting(ShellWrites.Target::path)
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "echo x > \"$HOME/.profile\"",
                "echo x > ~/.profile",
                "cp a \"$(mktemp -d)\"",
                "find . -name '*.js' -exec cp {} /srv \\;",
                "ls | xargs rm -f",
                "bash -c \"$CMD\"",
            })
    void aTargetThatCannotBeReadFromTheTextIsUnknown(String command) {
        assertThat(ShellWrites.of(command))
                .anySatisfy(t -> assertThat(t.unknown()).isTrue());
    }
}
