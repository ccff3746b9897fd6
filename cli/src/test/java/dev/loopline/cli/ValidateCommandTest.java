package dev.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out) {}

    private Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = LooplineCommand.commandLine().execute(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void validSpecExitsZero() throws IOException {
        Path spec = Files.writeString(dir.resolve("a.yaml"), "{id: a, kind: report, level: L1, target: {repo: /r}}");

        Run run = run("validate", spec.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("ok       a");
    }

    @Test
    void invalidSpecExitsOneAndNamesFileAndField() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "{id: a, kind: report, level: L1, target: {repo: /r}}");
        Path bad = Files.writeString(dir.resolve("b.yaml"), "{id: b, kind: report, level: L9, target: {repo: /r}}");

        Run run = run("validate", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).contains("ok       a").contains("invalid  " + bad + ": $.level");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run("validate", "--bogus").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void missingPathIsAUsageError() {
        assertThat(run("validate", dir.resolve("nope").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
